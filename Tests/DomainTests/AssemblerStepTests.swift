import Domain
import Testing

/// One test per step of the seed's nine, each failing when its step is wrong.
@Suite("Assembler: the nine steps")
struct AssemblerStepTests {
    typealias F = AssemblerFixture

    @Test func step1GathersTheRowAndItsChildRows() throws {
        var set = WorkingSet()
        let phones: [JSONValue] = [
            .object(["person_external_id": .string("P-1"), "kind": .string("mobile"), "number": .string("+7 1")])
        ]
        F.run([F.record("in_person", "P-1", ["first_name": .string("Ann"), "iin": .string("1")], children: ["phones": phones])], into: &set)
        let person = try #require(set.instance("Person", "P-1"))
        #expect(person.document["first_name"] == .string("Ann"))
        #expect(person.document["phones"] == .array([.object(["kind": .string("mobile"), "number": .string("+7 1")])]))
        #expect(person.document["external_id"] == nil, "the externalId is the instance's key, not a field")
    }

    /// A document is the row's columns and the child fields in name order, each once: a child
    /// field sorts among the columns wherever its name falls, and takes the place of a column of
    /// its name, as it did when the document was sorted after the fact.
    @Test func childFieldsTakeTheirPlaceAmongTheColumnsByName() throws {
        let phone = JSONValue.object(["number": .string("+7 1")])
        for columns in [["a": "x"], ["zz": "x"], ["a": "x", "zz": "y"], ["phones": "a column"], [:]] {
            var set = WorkingSet()
            var row = JSONObject(columns.map { ($0.key, JSONValue.string($0.value)) })
            row["iin"] = .string("1")
            F.run([F.record("in_person", "P-1", row, children: ["phones": [phone]])], into: &set)
            let document = try #require(set.instance("Person", "P-1")).document
            #expect(document["phones"] == .array([phone]), "\(columns)")
            #expect(document.keys == document.keys.sorted(), "\(columns)")
            #expect(Set(document.keys) == Set(columns.keys).union(["iin", "phones", "department"]), "\(columns)")
        }
    }

    /// The starter sends child rows without their link column; earlier versions sent it, and a
    /// record may mix both: the document is the same either way.
    @Test func childRowsWithOrWithoutTheirLinkGiveTheSameDocument() throws {
        var set = WorkingSet()
        let bare: [JSONValue] = [.object(["kind": .string("mobile")]), .object(["kind": .string("work")])]
        let mixed: [JSONValue] = [
            .object(["kind": .string("mobile")]), .object(["person_external_id": .string("P-2"), "kind": .string("work")]),
        ]
        F.run(
            [
                F.record("in_person", "P-1", ["first_name": .string("Ann"), "iin": .string("1")], children: ["phones": bare]),
                F.record("in_person", "P-2", ["first_name": .string("Bo"), "iin": .string("2")], children: ["phones": mixed]),
            ], into: &set)
        #expect(try #require(set.instance("Person", "P-1")).document["phones"] == .array(bare))
        #expect(try #require(set.instance("Person", "P-2")).document["phones"] == .array(bare))
    }

    /// The starter sends child rows in whatever order the source reads them: a record whose rows
    /// come again in another order is unchanged, and the document keeps one order.
    @Test func childRowsInAnotherOrderLeaveTheInstanceUnchanged() throws {
        var set = WorkingSet()
        let mobile = JSONValue.object(["kind": .string("mobile"), "number": .string("+7 2")])
        let home = JSONValue.object(["kind": .string("home"), "number": .string("+7 9")])
        let row: JSONObject = ["first_name": .string("Ann"), "iin": .string("1")]
        F.run([F.record("in_person", "P-1", row, children: ["phones": [mobile, home]])], into: &set)
        #expect(try #require(set.instance("Person", "P-1")).document["phones"] == .array([home, mobile]))
        F.run([F.record("in_person", "P-1", row, children: ["phones": [home, mobile]])], into: &set)
        #expect(set.events.count == 1)
        #expect(set.total("in_person").unchanged == 1)
        #expect(try #require(set.instance("Person", "P-1")).document["phones"] == .array([home, mobile]))
    }

    @Test func step2SkipsARecordWithNothingToMigrate() {
        var set = WorkingSet()
        F.run([F.record("in_contract", "C-1", ["amount": .null, "person_external_id": .null, "status_code": .null])], into: &set)
        #expect(set.events.isEmpty)
        #expect(set.instances.isEmpty)
        #expect(set.total("in_contract").skipped == 1)
    }

    @Test func step3FindsTheExistingInstanceByExternalIdAndBO() throws {
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "1"), F.person("P-1", iin: "1", name: "Anna")], into: &set)
        #expect(set.instances.count == 1)
        #expect(set.events.map(\.isCreate) == [true, false])
        #expect(set.events[1].boiId == F.id("Person", "P-1"))
        #expect(set.events[1].changes == ["first_name": .string("Anna")])
        #expect(set.events[1].version == 2)
        // The same externalId under another BO is another instance.
        F.run([F.department("P-1", code: "X")], into: &set)
        #expect(set.instances.count == 2)
    }

    @Test func step4RemovedMakesTheInstanceNotActualAndStops() throws {
        var set = WorkingSet()
        var removal = F.person("P-1", iin: "1", name: "Changed")
        removal.row["removed"] = .bool(true)
        F.run([F.person("P-1", iin: "1"), removal], into: &set)
        let person = try #require(set.instance("Person", "P-1"))
        #expect(person.actual == false)
        #expect(person.document["first_name"] == .string("Ann"), "nothing else of a removed record is applied")
        let last = try #require(set.events.last)
        #expect(last.actual == false)
        #expect(last.changes.isEmpty)
        #expect(set.total("in_person").removed == 1)
    }

    @Test func step5FillsPlainFieldsThenResolvesOrParksReferences() throws {
        var set = WorkingSet()
        F.run([F.department("D-1", code: "HQ"), F.person("P-1", iin: "1", department: "D-1"), F.person("P-2", iin: "2", department: "D-9")], into: &set)
        let resolved = try #require(set.instance("Person", "P-1"))
        #expect(resolved.document["department"] == .string(F.id("Department", "D-1").rawValue))
        let waiting = try #require(set.instance("Person", "P-2"))
        #expect(waiting.document["department"] == .null)
        let parked = try #require(set.parked.values.first)
        #expect(parked.source == waiting.boiId)
        #expect(parked.field == "department")
        #expect(parked.target == .object(BOKey(bo: "Department", externalId: "D-9")))
        #expect(set.total("in_person").refsParked == 1)
    }

    @Test func step6PublishesOnlyARealChange() throws {
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "1"), F.person("P-1", iin: "1")], into: &set)
        #expect(set.events.count == 1)
        #expect(set.total("in_person").unchanged == 1)
        #expect(set.touched.isEmpty, "created in this batch: written anyway, nothing to touch")

        var next = WorkingSet()
        next.load(boiIDs: set.boiIDs, instances: Array(set.instances.values), parked: [], uniqueKeys: [], catalog: [:])
        F.run([F.person("P-1", iin: "1")], into: &next)
        #expect(next.events.isEmpty)
        #expect(next.touched == [F.id("Person", "P-1")])
    }

    @Test func step7MergesIntoTheInstanceHoldingTheUniqueKey() throws {
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "777", name: "Ann"), F.person("P-2", iin: "777", name: "Anna")], into: &set)
        #expect(set.instances.count == 1)
        let owner = F.id("Person", "P-1")
        #expect(set.boiIDs[BOKey(bo: "Person", externalId: "P-2")] == owner)
        #expect(set.instances[owner]?.document["first_name"] == .string("Anna"))
        #expect(set.events.last?.boiId == owner)
        #expect(set.events.last?.changes == ["first_name": .string("Anna")])
        #expect(set.total("in_person").merged == 1)
        #expect(set.total("in_person").created == 1)
    }

    @Test func step7KeepsTheOwnersReferencesWhereTheMergedRecordHasNone() throws {
        let owner = F.id("Person", "P-1")
        var set = WorkingSet()
        F.run(
            [
                F.department("D-1", code: "HQ"), F.person("P-1", iin: "777", department: "D-1"),
                F.person("P-2", iin: "777"),
            ], into: &set)
        #expect(set.instances[owner]?.document["department"] == .string(F.id("Department", "D-1").rawValue))
        #expect(set.total("in_person").merged == 1)
        #expect(set.events.filter { $0.boiId == owner }.count == 1, "only the creation: the merge changed nothing")

        // A parked reference of the owner stays parked, and is filled when its target comes.
        var parked = WorkingSet()
        F.run(
            [F.person("P-1", iin: "777", department: "D-9"), F.person("P-2", iin: "777"), F.department("D-9", code: "X")],
            into: &parked)
        #expect(parked.instances[owner]?.document["department"] == .string(F.id("Department", "D-9").rawValue))
        #expect(parked.parked.isEmpty)

        // A reference the merged record does give replaces the owner's.
        var moved = WorkingSet()
        F.run(
            [
                F.department("D-1", code: "HQ"), F.department("D-2", code: "BR"),
                F.person("P-1", iin: "777", department: "D-1"), F.person("P-2", iin: "777", department: "D-2"),
            ], into: &moved)
        #expect(moved.instances[owner]?.document["department"] == .string(F.id("Department", "D-2").rawValue))
    }

    @Test func step8RemembersExternalIdToInstance() {
        var set = WorkingSet()
        F.run([F.department("D-1", code: "HQ")], into: &set)
        #expect(set.newMappings == [BOKey(bo: "Department", externalId: "D-1"): F.id("Department", "D-1")])
    }

    @Test func step9FillsWhatWaitedWithExactlyOneChangeEvent() throws {
        var set = WorkingSet()
        F.run([F.person("P-1", iin: "1", department: "D-1"), F.department("D-1", code: "HQ")], into: &set)
        let person = try #require(set.instance("Person", "P-1"))
        #expect(person.document["department"] == .string(F.id("Department", "D-1").rawValue))
        let personEvents = set.events.filter { $0.boiId == person.boiId }
        #expect(personEvents.count == 2)
        #expect(personEvents[1].changes == ["department": .string(F.id("Department", "D-1").rawValue)])
        #expect(set.parked.isEmpty)
        #expect(set.total("in_department").refsResolved == 1)
    }
}
