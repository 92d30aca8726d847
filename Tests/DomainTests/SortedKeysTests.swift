import Testing

@testable import Domain

@Suite("Sorted keys: a batch's keys once each, in order, without hashing them again")
struct SortedKeysTests {
    @Test func sortedUniqueSortsAndDropsRepeats() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 7, 100] {
            let values = (0..<count).map { _ in Int.random(in: 0..<20, using: &generator) }
            #expect(values.sortedUnique() == Array(Set(values)).sorted())
        }
        #expect(["b", "a", "b", "c", "a"].sortedUnique() == ["a", "b", "c"])
    }

    @Test func aSortedUniqueArrayComesBackAsItIs() {
        let keys = (0..<50).map { BOKey(bo: "Person", externalId: "p" + String(1000 + $0)) }
        #expect(keys.isSortedUnique)
        #expect(keys.sortedUnique() == keys)
        #expect(!(keys + [keys[0]]).isSortedUnique)
        #expect(!keys.reversed().isSortedUnique)
    }

    /// Whatever the two sorted sets of values (empty, disjoint, nested, overlapping), the walks
    /// give what sets would.
    @Test func membershipAndMergingAreWhatSetsGive() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let left = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0..<15, using: &generator) }
                .sortedUnique()
            let right = (0..<Int.random(in: 0...12, using: &generator)).map { _ in Int.random(in: 0..<15, using: &generator) }
                .sortedUnique()
            #expect(left.membership(in: right) == left.map { Set(right).contains($0) })
            #expect(left.mergingSortedUnique(right) == Array(Set(left).union(right)).sorted())
        }
        #expect([Int]().membership(in: [1]) == [])
        #expect([1, 2].membership(in: []) == [false, false])
    }

    @Test func sortedContainsFindsExactlyTheMembers() {
        let values = [1, 3, 5, 8, 13]
        for candidate in -1...15 {
            #expect(values.sortedContains(candidate) == values.contains(candidate))
        }
        #expect(![Int]().sortedContains(0))
    }

    @Test func preloadGivesRecordAndTargetKeysOnceEachInOrder() {
        let records = [
            AssemblerFixture.person("p2", iin: "2", department: "d1"),
            AssemblerFixture.person("p1", iin: "1", department: "d1"),
            AssemblerFixture.department("d1", code: "D1"),
            AssemblerFixture.person("p1", iin: "1", department: "d2"),
            AssemblerFixture.department("d0", code: "D0"),
        ]
        var collector = PreloadCollector(Assembler(mapping: AssemblerFixture.mapping), capacity: records.count)
        for record in records { collector.add(record) }
        let preload = collector.preload
        let person = { BOKey(bo: "Person", externalId: $0) }
        let department = { BOKey(bo: "Department", externalId: $0) }
        #expect(preload.recordKeys == [department("d0"), department("d1"), person("p1"), person("p2")])
        // d1 is a record of the batch: a record key, not a target.
        #expect(preload.targetKeys == [department("d2")])
        #expect(preload.allKeys == [department("d0"), department("d1"), department("d2"), person("p1"), person("p2")])
        // Each unique key's values once each, in order, whatever order and however often given.
        #expect(
            preload.uniqueValues == [
                UniqueKeyMapping(bo: "Person", fields: ["iin"]): [["1"], ["2"]],
                UniqueKeyMapping(bo: "Department", fields: ["code"]): [["D0"], ["D1"]],
            ])
    }

    /// Values of a key of several fields are taken whole or not at all: a record that leaves
    /// one field empty gives none, and the values of the records around it stay as they were.
    @Test func preloadGivesUniqueValuesOfSeveralFieldsWholeOnceEachInOrder() {
        let mapping = MigrationMapping(tables: [
            TableMapping(
                table: "in_contract", bo: "Contract", externalId: "external_id",
                uniqueKeys: [["number", "year"], ["code"]])
        ])
        let rows: [JSONObject] = [
            ["number": .string("N2"), "year": .number(2026), "code": .string("c2")],
            ["number": .string("N1"), "year": .null, "code": .string("c9")],
            ["number": .string("N1"), "year": .number(2025), "code": .null],
            ["number": .null, "year": .number(2024), "code": .string("c1")],
            ["number": .string("N2"), "year": .number(2026), "code": .string("c2")],
            ["number": .string("N1"), "year": .number(2026)],
        ]
        var collector = PreloadCollector(Assembler(mapping: mapping), capacity: rows.count)
        for (index, row) in rows.enumerated() {
            collector.add(AssemblerFixture.record("in_contract", "C-\(index)", row))
        }
        #expect(
            collector.preload.uniqueValues == [
                UniqueKeyMapping(bo: "Contract", fields: ["number", "year"]): [
                    ["N1", "2025"], ["N1", "2026"], ["N2", "2026"],
                ],
                UniqueKeyMapping(bo: "Contract", fields: ["code"]): [["c1"], ["c2"], ["c9"]],
            ])
    }

    @Test func allKeysStaysSortedAndUniqueWhateverItIsGiven() {
        var preload = Preload()
        preload.recordKeys = [BOKey(bo: "B", externalId: "2"), BOKey(bo: "A", externalId: "1")]
        preload.targetKeys = [BOKey(bo: "A", externalId: "1"), BOKey(bo: "C", externalId: "3")]
        #expect(
            preload.allKeys == [
                BOKey(bo: "A", externalId: "1"), BOKey(bo: "B", externalId: "2"), BOKey(bo: "C", externalId: "3"),
            ])
    }
}
