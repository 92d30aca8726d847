import Domain
import Testing

@Suite("Assembler: references, rejections and the reference check")
struct AssemblerReferenceTests {
    typealias F = AssemblerFixture

    @Test func aSelfReferenceThatPointsForwardResolvesWhenTheParentArrives() throws {
        var set = WorkingSet()
        F.run([F.department("D-SALES", code: "S", parent: "D-HQ"), F.department("D-HQ", code: "HQ"), F.department("D-LOOP", code: "L", parent: "D-LOOP")], into: &set)
        #expect(set.instance("Department", "D-SALES")?.document["parent"] == .string(F.id("Department", "D-HQ").rawValue))
        #expect(set.instance("Department", "D-LOOP")?.document["parent"] == .string(F.id("Department", "D-LOOP").rawValue))
        #expect(set.parked.isEmpty)
    }

    @Test func manyValuedReferencesKeepTheirPositions() throws {
        var set = WorkingSet()
        let group = F.record(
            "in_person_group", "G-1", ["name": .string("Devs"), "member_external_ids": .array([.string("P-1"), .string("P-2")])])
        F.run([F.person("P-2", iin: "2"), group, F.person("P-1", iin: "1")], into: &set)
        let members = try #require(set.instance("PersonGroup", "G-1")?.document["members"])
        #expect(members == .array([.string(F.id("Person", "P-1").rawValue), .string(F.id("Person", "P-2").rawValue)]))
        let groupEvents = set.events.filter { $0.bo == "PersonGroup" }
        #expect(groupEvents.count == 2, "created with one member, then exactly one change when the other arrives")
    }

    @Test func aReferenceToARefusedBOIsLeftEmptyWithAWarning() throws {
        var set = WorkingSet()
        F.run([F.record("in_contract", "C-1", ["amount": .number(5), "company_external_id": .string("CO-1")])], into: &set)
        #expect(set.instance("Contract", "C-1")?.document["company"] == .null)
        #expect(set.parked.isEmpty, "a refused target never arrives: parking it would dangle forever")
        let warning = try #require(set.warnings.first)
        #expect(warning.field == "company_external_id")
        #expect(warning.reason.contains("Company"))
        #expect(set.rejections.isEmpty)
    }

    @Test func catalogCodesResolveOrPark() throws {
        var set = WorkingSet()
        set.load(boiIDs: [:], instances: [], parked: [], uniqueKeys: [], catalog: [CatalogEntryKey(catalog: "contract_status", code: "ACTIVE"): "cat-1"])
        F.run([
            F.record("in_contract", "C-1", ["status_code": .string("ACTIVE")]),
            F.record("in_contract", "C-2", ["status_code": .string("NEW")]),
        ], into: &set)
        #expect(set.instance("Contract", "C-1")?.document["status"] == .string("cat-1"))
        #expect(set.instance("Contract", "C-2")?.document["status"] == .null)
        #expect(set.parked.values.map(\.target) == [.catalogEntry(catalog: "contract_status", code: "NEW")])
    }

    /// (table, externalId, row, field named in the error, words of the reason)
    static let badRecords: [(String, String?, JSONObject, String?, String)] = [
        ("in_person", nil, ["first_name": .string("A")], "external_id", "no externalId"),
        ("in_person", "", ["first_name": .string("A")], "external_id", "no externalId"),
        ("in_person", " \t\r\n", ["first_name": .string("A")], "external_id", "no externalId"),
        ("in_person", "\u{A0}\u{2003}\u{3000}", ["first_name": .string("A")], "external_id", "no externalId"),
        ("in_person", "P-1", ["first_name": .null, "last_name": .null, "iin": .null, "email": .string("x")], "systemFields", "system BO"),
        ("in_person", "P-1", ["first_name": .string("A"), "department_external_id": .object([:])], "department_external_id", "found an object"),
        ("in_person", "P-1", ["first_name": .string("A"), "removed": .string("yes")], "removed", "expected a boolean"),
        ("in_person_group", "G-1", ["name": .string("G"), "member_external_ids": .string("P-1")], "member_external_ids", "array"),
        ("in_company", "CO-1", ["name": .string("LLP")], "bo", "refused"),
        ("in_unknown", "X-1", ["a": .string("b")], nil, "not in the mapping"),
    ]

    @Test func badRecordsAreRejectedNamingTheField() throws {
        for (table, externalId, row, field, reason) in Self.badRecords {
            try expectRejected(table: table, externalId: externalId, row: row, field: field, reason: reason)
        }
    }

    /// A record sets its reference fields anew: what its instance waited for before is dropped,
    /// whether the instance was created earlier in the batch or loaded from the store.
    @Test func aRecordThatSetsAReferenceAnewDropsWhatItWaitedFor() {
        let waitingFor = { (set: WorkingSet) in set.parked.values.map(\.target) }
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "1", department: "D-9")], into: &set)
        #expect(waitingFor(set) == [.object(BOKey(bo: "Department", externalId: "D-9"))])
        F.run([F.person("P-1", iin: "1", department: "D-8")], into: &set)
        #expect(waitingFor(set) == [.object(BOKey(bo: "Department", externalId: "D-8"))])
        F.run([F.person("P-1", iin: "1")], into: &set)
        #expect(set.parked.isEmpty)

        let stored = BOIInstance(
            boiId: F.id("Person", "P-2"), bo: "Person", externalId: "P-2", document: ["iin": .string("2")])
        let parked = ParkedReference(
            source: stored.boiId, field: "department", position: nil,
            target: .object(BOKey(bo: "Department", externalId: "D-7")), migrationID: MigrationID(rawValue: "m-0"))
        set = WorkingSet()
        set.load(
            boiIDs: [BOKey(bo: "Person", externalId: "P-2"): stored.boiId], instances: [stored], parked: [parked],
            uniqueKeys: [], catalog: [:])
        F.run([F.person("P-2", iin: "2")], into: &set)
        #expect(set.parked.isEmpty)
        #expect(set.unparkedSlots == [parked.slot])
    }

    @Test func anExternalIdWithWhitespaceAroundTextIsKept() {
        for externalId in [" P-1", "\tP-1\n", "\u{A0}P-1", "P-1\u{3000}", "\u{2003} x \u{2003}"] {
            var set = WorkingSet()
            F.run([F.record("in_person", externalId, ["first_name": .string("A")])], into: &set)
            #expect(set.rejections.isEmpty, "\(externalId.debugDescription)")
            #expect(set.instance("Person", externalId)?.externalId == externalId)
        }
    }

    private func expectRejected(
        table: String, externalId: String?, row: JSONObject, field: String?, reason: String
    ) throws {
        var set = WorkingSet()
        F.run([F.record(table, externalId, row)], into: &set)
        #expect(set.instances.isEmpty)
        let rejection = try #require(set.rejections.first)
        #expect(rejection.error.field == field)
        #expect(rejection.error.reason.contains(reason), "\(rejection.error.reason)")
        #expect(rejection.error.table == table)
        #expect(rejection.raw == Array("{}".utf8))
    }

    @Test func aValueTooLargeIsRejected() throws {
        var assembler = Assembler(mapping: F.mapping)
        assembler.limits.valueBytes = 10
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "1", name: String(repeating: "x", count: 11))], into: &set, assembler: assembler)
        #expect(set.rejections.first?.error.field == "first_name")
        #expect(set.total("in_person").rejected == 1)
        // The same as read from a message: the parser saw a string over the limit. One of ten
        // bytes, the limit itself, is stored.
        set = WorkingSet()
        try F.runAsRead(
            [
                F.person("P-1", iin: "1", name: String(repeating: "x", count: 11)),
                F.record(
                    "in_person", "P-2",
                    [
                        "iin": .string("2"), "first_name": .string("A"),
                        "notes": .object(["n": .string("y" + String(repeating: "é", count: 5))]),
                    ]),
                F.person("P-3", iin: "3", name: String(repeating: "x", count: 10)),
            ],
            into: &set, assembler: assembler)
        #expect(set.rejections.map(\.error.field) == ["first_name", "notes"])
        #expect(set.instance("Person", "P-3") != nil)
    }

    /// U+0000 is valid JSON (`\u0000`) but no PostgreSQL text or jsonb can hold it: the record is
    /// refused with its field, wherever the character sits, and the next record goes on.
    @Test func aValueWithTheNULCharacterIsRejectedWithItsField() throws {
        let nul = "a\u{0}b"
        let cases: [(RecordMessage, String)] = [
            (F.person("P-1", iin: "1", name: nul), "first_name"),
            (F.record("in_person", "P-1", ["iin": .string("1"), "notes": .object([nul: .string("x")])]), "notes"),
            (F.record("in_person", "P-1", ["iin": .string("1")], children: ["phones": [.object(["number": .string(nul)])]]), "phones"),
            (F.person(nul, iin: "1"), "external_id"),
            (F.record("in_person", "P-1", JSONObject([("iin", .string("1")), (nul, .string("x"))])), nul),
        ]
        for (record, field) in cases {
            var set = WorkingSet()
            F.run([record, F.person("P-2", iin: "2")], into: &set)
            #expect(set.rejections.count == 1)
            #expect(set.rejections.first?.error.field == field)
            #expect(set.rejections.first?.error.reason.contains("U+0000") == true)
            #expect(set.instance("Person", "P-2") != nil)
            // The same as read from a message, where the parser's summary decides whether values are
            // walked (an externalId with U+0000 is refused before: the envelope names the record).
            guard field != "external_id" else { continue }
            set = WorkingSet()
            try F.runAsRead([record, F.person("P-2", iin: "2")], into: &set)
            #expect(set.rejections.map(\.error.field) == [field])
            #expect(set.instance("Person", "P-2") != nil)
        }
    }

    /// Key values are index entries in the store, which refuses entries over about 2.7 KB.
    @Test func aKeyValueTooLongIsRejectedWithItsField() throws {
        var assembler = Assembler(mapping: F.mapping)
        assembler.limits.keyBytes = 8
        let long = String(repeating: "k", count: 9)
        let cases: [(RecordMessage, String)] = [
            (F.person(long, iin: "1"), "external_id"),
            (F.person("P-1", iin: long), "iin"),
            (F.person("P-1", iin: "1", department: long), "department_external_id"),
            (F.record("in_person_group", "G-1", ["name": .string("g"), "member_external_ids": .array([.string("P-9"), .string(long)])]), "member_external_ids"),
        ]
        for (record, field) in cases {
            var set = WorkingSet()
            F.run([record], into: &set, assembler: assembler)
            #expect(set.rejections.first?.error.field == field, "\(record)")
            #expect(set.rejections.first?.error.reason.contains("exceeds the limit of 8") == true)
        }
        var set = WorkingSet()
        F.run([F.person("P-12345", iin: "12345678", department: "D-1")], into: &set, assembler: assembler)
        #expect(set.rejections.isEmpty, "a key of exactly the limit is kept")
    }

    /// Several bad columns: the first by name is reported, whatever order the message gives the
    /// columns in, so the error is the same on every redelivery.
    @Test func ofSeveralBadColumnsTheFirstByNameIsReported() throws {
        var assembler = Assembler(mapping: F.mapping)
        assembler.limits.valueBytes = 3
        let long = JSONValue.string("long value")
        let columns: [(String, JSONValue)] = [
            ("last_name", long), ("email", long), ("removed", .string("yes")), ("first_name", long), ("iin", .string("1")),
        ]
        for _ in 0..<20 {
            var set = WorkingSet()
            F.run([F.record("in_person", "P-1", JSONObject(columns.shuffled()))], into: &set, assembler: assembler)
            #expect(set.rejections.first?.error.field == "email")
            #expect(set.rejections.first?.error.reason.contains("exceeds the limit of 3") == true)
        }
    }

    @Test func theReferenceCheckResolvesWhatExistsAndReportsTheRest() throws {
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "1", department: "D-LATE"), F.person("P-2", iin: "2", department: "D-NEVER")], into: &set)
        // D-LATE was created by another consumer meanwhile: the store knows it now.
        let late = F.id("Department", "D-LATE")
        var next = WorkingSet()
        next.load(
            boiIDs: set.boiIDs.merging([BOKey(bo: "Department", externalId: "D-LATE"): late]) { $1 },
            instances: Array(set.instances.values), parked: Array(set.parked.values), uniqueKeys: [], catalog: [:])
        let marker = RefCheckMarker(migrationId: F.migration, operDate: F.day, partition: 0, partitions: 1, records: 2)
        let dangling = Assembler(mapping: F.mapping).resolve(
            Array(set.parked.values), for: Assembler.referenceCheckRecord(of: marker), in: &next)
        #expect(dangling.map(\.target) == [.object(BOKey(bo: "Department", externalId: "D-NEVER"))])
        #expect(next.instance("Person", "P-1")?.document["department"] == .string(late.rawValue))
        #expect(next.events.count == 1)
    }

    @Test func derivedIdsAreStableAndDistinct() {
        #expect(F.id("Person", "P-1") == F.id("Person", "P-1"))
        #expect(F.id("Person", "P-1") != F.id("Department", "P-1"))
        #expect(F.id("Person", "P-1").rawValue.count == 36)
        // FNV-1a 128 of "Person\0P-1": ids already stored must keep being derived the same.
        #expect(F.id("Person", "P-1").rawValue == "boi-d1a355cf990883f220979fa8018b77b2")
        #expect(F.id("Contract", "Д-7 ü").rawValue == "boi-2ed116c03bf42c72f27212c159512ea8")
        #expect(F.id("", "").rawValue == "boi-d228cb69101a8caf78912b704e4a147f")
    }

    /// The id as FNV-1a 128 defines it, computed the plain way (a full 128-bit product per byte,
    /// each hex digit on its own), for keys short and long, ASCII and not: the fast derivation
    /// must give the very same ids.
    @Test func derivedIdsAreFNV1a128OfTheKey() {
        func reference(_ bo: String, _ externalId: String) -> String {
            var hash = (high: UInt64(0x6c62_272e_07bb_0142), low: UInt64(0x62b8_2175_6295_c58d))
            // The prime 2^88 + 0x13B as (high, low) halves.
            let prime = (high: UInt64(1) << 24, low: UInt64(0x13B))
            for byte in Array(bo.utf8) + [0] + Array(externalId.utf8) {
                hash.low ^= UInt64(byte)
                let (carry, low) = hash.low.multipliedFullWidth(by: prime.low)
                hash.high = hash.high &* prime.low &+ hash.low &* prime.high &+ carry
                hash.low = low
            }
            func hex(_ half: UInt64) -> String {
                String(repeating: "0", count: 16 - String(half, radix: 16).count) + String(half, radix: 16)
            }
            return "boi-" + hex(hash.high) + hex(hash.low)
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcXYZ019-_ .Дяü€😀")
        for length in 0..<80 {
            for _ in 0..<20 {
                let externalId = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                for bo in ["Person", "", "AVeryLongBusinessObjectCode"] {
                    #expect(F.id(BOCode(bo), externalId).rawValue == reference(bo, externalId), "\(bo) \(externalId)")
                }
            }
        }
    }

    /// The store tells a derived id from an alias, and sends derived ids, without making them.
    @Test func derivedIdsAreToldAndLentWithoutBeingMade() {
        let keys = [("Person", "P-1"), ("Person", "P-2"), ("Department", "P-1"), ("", ""), ("Person", "Дя😀")]
            .map { BOKey(bo: BOCode($0.0), externalId: $0.1) }
        for key in keys {
            let id = BoiID.derived(from: key)
            #expect(id.isDerived(from: key))
            #expect(BoiID.withDerivedUTF8(of: key) { String(decoding: $0, as: UTF8.self) } == id.rawValue)
            for other in keys where other != key { #expect(!id.isDerived(from: other), "\(id) \(other)") }
            // The id with any one byte changed, shorter, longer.
            let changed = id.rawValue.utf8.indices.map { place in
                var bytes = Array(id.rawValue.utf8)
                bytes[id.rawValue.utf8.distance(from: id.rawValue.utf8.startIndex, to: place)] ^= 1
                return String(decoding: bytes, as: UTF8.self)
            }
            #expect(changed.count == 36)
            for alias in changed + [String(id.rawValue.dropLast()), id.rawValue + "0", "", "boi-1"] {
                #expect(!BoiID(rawValue: alias).isDerived(from: key), "\(alias)")
            }
        }
    }
}
