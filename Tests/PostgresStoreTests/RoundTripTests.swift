import Domain
import IntegrationSupport
import Postgres
import PostgresStore
import Store
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct RoundTripTests {
    static let rich: JSONObject = [
        "first_name": .string("Әлия «Ақ» 😀 \"quoted\" \\ back\nline\t\u{1}"),
        "iin": .string("900101300001"),
        "salary": .number(1234.5),
        "age": .number(42),
        "big": .number(900_101_300_001),
        "active": .bool(true),
        "nothing": .null,
        "phones": .array([
            .object(["kind": .string("mobile"), "number": .string("+7 701 000 0001")]),
            .object(["kind": .string("work"), "tags": .array([.string("a"), .number(-1.25), .null])]),
        ]),
        "nested": .object(["deeper": .object(["deepest": .array([])]), "empty": .object([:])]),
    ]

    @Test func applyThenReadEverything() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.client.execute(
                """
                INSERT INTO inmigration.catalog_entry (catalog, code, id)
                VALUES ('contract_status', 'ACTIVE', 'cat-1'), ('contract_status', 'CLOSED', 'cat-2')
                """)
            let person = BOIInstance(
                boiId: Sample.id("Person", "P-1"), bo: "Person", externalId: "P-1", document: Self.rich, version: 3)
            let department = BOIInstance(
                boiId: Sample.id("Department", "D-1"), bo: "Department", externalId: "D-1",
                document: ["name": .string("Продажи"), "head": .null], actual: false)
            var changes = Sample.creating([person, department])
            changes.mappings[Sample.key("Person", "P-1-old")] = person.boiId
            let waitingForHead = ParkedReference(
                source: department.boiId, field: "head", position: nil, target: .object(Sample.key("Person", "P-9")),
                migrationID: Sample.migration)
            let waitingForMember = ParkedReference(
                source: department.boiId, field: "members", position: 2, target: .object(Sample.key("Person", "P-9")),
                migrationID: Sample.migration)
            let waitingForStatus = ParkedReference(
                source: person.boiId, field: "status", position: nil,
                target: .catalogEntry(catalog: "contract_status", code: "PENDING"), migrationID: Sample.migration)
            changes.parked = [waitingForHead, waitingForMember, waitingForStatus]
            #expect(try await fixture.apply(changes) == nil)

            try await fixture.store.transaction { transaction in
                let ids = try transaction.boiIDs(for: [
                    Sample.key("Person", "P-1"), Sample.key("Person", "P-1-old"), Sample.key("Department", "D-1"),
                    Sample.key("Person", "absent"),
                ])
                #expect(ids == [
                    Sample.key("Person", "P-1"): person.boiId, Sample.key("Person", "P-1-old"): person.boiId,
                    Sample.key("Department", "D-1"): department.boiId,
                ])
                let instances = try transaction.instances([person.boiId, department.boiId, BoiID(rawValue: "boi-none")])
                #expect(instances == [person.boiId: person, department.boiId: department])

                let byObject = try transaction.parkedReferences(waitingFor: [.object(Sample.key("Person", "P-9"))])
                #expect(Set(byObject) == [waitingForHead, waitingForMember])
                let one = try transaction.parkedReferences(waitingFor: [.object(Sample.key("Person", "P-9"))], limitEach: 1)
                #expect(one.count == 1 && byObject.contains(one[0]))
                let both = try transaction.parkedReferences(waitingFor: [
                    .object(Sample.key("Person", "P-9")), .catalogEntry(catalog: "contract_status", code: "PENDING"),
                    .object(Sample.key("Person", "P-1")),
                ])
                #expect(Set(both) == [waitingForHead, waitingForMember, waitingForStatus])
                let all = try transaction.parkedReferences(of: Sample.migration, after: nil, limit: 100)
                #expect(Set(all) == Set(both))
                #expect(all == all.sorted { ($0.source, $0.field, $0.position ?? -1) < ($1.source, $1.field, $1.position ?? -1) })
                // Page by page, each after the last slot of the one before: the same references, each once.
                var paged: [ParkedReference] = []
                var after: ParkedReference.Slot?
                repeat {
                    let page = try transaction.parkedReferences(of: Sample.migration, after: after, limit: 2)
                    #expect(page.count <= 2)
                    paged += page
                    after = page.count == 2 ? page.last?.slot : nil
                } while after != nil
                #expect(paged == all)
                let sources = Set(both.map(\.source))
                #expect(Set(try transaction.lockParkedReferences(of: Array(sources))) == Set(both))
                #expect(try transaction.lockParkedReferences(of: [BoiID(rawValue: "boi-none")]).isEmpty)
                #expect(try transaction.parkedReferences(of: MigrationID(rawValue: "other"), after: nil, limit: 100).isEmpty)

                let entries = try transaction.catalogEntries([
                    CatalogKey(catalog: "contract_status", code: "ACTIVE"),
                    CatalogKey(catalog: "contract_status", code: "PENDING"),
                    CatalogKey(catalog: "other", code: "ACTIVE"),
                ])
                #expect(entries == [CatalogKey(catalog: "contract_status", code: "ACTIVE"): "cat-1"])
            }

            // Resolve one slot, clear a whole field, re-park the status on another code.
            var next = StoreChanges()
            next.unparked = [waitingForHead.slot]
            next.clearedReferenceFields = [ReferenceField(source: department.boiId, field: "members")]
            var moved = waitingForStatus
            moved.target = .catalogEntry(catalog: "contract_status", code: "SUSPENDED")
            next.parked = [moved]
            let reparked = moved
            try await fixture.apply(next)
            try await fixture.store.transaction { transaction throws in
                #expect(try transaction.parkedReferences(of: Sample.migration, after: nil, limit: 100) == [reparked])
                #expect(try transaction.parkedReferences(waitingFor: [.object(Sample.key("Person", "P-9"))]).isEmpty)
            }
        }
    }

    @Test func updateKeepsCreationTimeAndTouchOnlyTouches() async throws {
        try await StoreFixture.with { fixture in
            let person = Sample.person("P-1", iin: "1")
            try await fixture.apply(Sample.creating([person]))
            var changed = person
            changed.document["first_name"] = .string("Bolat")
            changed.version = 1
            var update = StoreChanges()
            update.instances = [changed]
            try await fixture.apply(update)
            var touch = StoreChanges()
            touch.touched = [person.boiId]
            try await fixture.apply(touch)

            let times = try #require(
                try await fixture.client.execute(
                    """
                    SELECT created_at < updated_at AS updated_later, updated_at < in_migration_updated_at AS touched_later
                    FROM inmigration.boi_instance
                    """
                ).first)
            #expect(times.bool("updated_later") == true)
            #expect(times.bool("touched_later") == true)
            let stored = try await fixture.store.transaction { try $0.instances([person.boiId]) }
            #expect(stored[person.boiId] == update.instances.first)
        }
    }

    /// Only aliases take a row in `boi_map`; a key mapped back to its own instance loses its alias.
    @Test func onlyAliasesAreStoredAndAnAliasCanBeUndone() async throws {
        try await StoreFixture.with { fixture in
            let first = Sample.person("P-1", iin: "1"), second = Sample.person("P-2", iin: "2")
            var changes = Sample.creating([first, second])
            changes.mappings[Sample.key("Person", "P-1-old")] = first.boiId
            try await fixture.apply(changes)
            let aliases = "SELECT count(*) AS n FROM inmigration.boi_map"
            #expect(try await fixture.count(aliases) == 1)
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.boi_external_id") == 3)

            // P-2 merged into P-1, then mapped back to its own instance.
            try await fixture.store.transaction { transaction in
                #expect(try transaction.boiIDs(for: [Sample.key("Person", "P-2")]) == [Sample.key("Person", "P-2"): second.boiId])
                var merge = StoreChanges()
                merge.mappings[Sample.key("Person", "P-2")] = first.boiId
                _ = try transaction.apply(merge)
            }
            try await fixture.store.transaction { transaction in
                #expect(try transaction.boiIDs(for: [Sample.key("Person", "P-2")]) == [Sample.key("Person", "P-2"): first.boiId])
                var back = StoreChanges()
                back.mappings[Sample.key("Person", "P-2")] = second.boiId
                _ = try transaction.apply(back)
            }
            #expect(try await fixture.count(aliases) == 1)
            let after = try await fixture.store.transaction { try $0.boiIDs(for: [Sample.key("Person", "P-2")]) }
            #expect(after == [Sample.key("Person", "P-2"): second.boiId])
        }
    }

    @Test func anInstanceGivenTwiceIsWrittenOnceAsLastGiven() async throws {
        try await StoreFixture.with { fixture in
            let first = Sample.person("P-2", iin: "900101300002", name: "first")
            let other = Sample.person("P-1", iin: "900101300001")
            let last = Sample.person("P-2", iin: "900101300002", name: "last")
            var changes = Sample.creating([first, other, last])
            #expect(try await fixture.apply(changes) == nil)
            let stored = try await fixture.store.transaction { try $0.instances([first.boiId, other.boiId]) }
            #expect(stored[first.boiId]?.document["first_name"] == .string("last"))
            #expect(stored[other.boiId]?.document == other.document)

            // The same for instances that change, not only for new ones.
            var renamed = last
            renamed.document["first_name"] = .string("renamed")
            var again = last
            again.document["first_name"] = .string("again")
            changes = StoreChanges()
            changes.instances = [renamed, other, again]
            #expect(try await fixture.apply(changes) == nil)
            let updated = try await fixture.store.transaction { try $0.instances([first.boiId]) }
            #expect(updated[first.boiId]?.document["first_name"] == .string("again"))
        }
    }

    /// A new instance's document goes to the server as the text of its creation event's changes
    /// (its members but the null ones) with the null members added at the end: what is stored is
    /// the document, nulls and all, wherever they fall and however many there are.
    @Test func newDocumentsBuiltFromTheirEventsChangesAreTheDocuments() async throws {
        try await StoreFixture.with { fixture in
            let documents: [JSONObject] = [
                Self.rich, [:], ["only": .null], ["a": .null, "b": .null],
                ["a": .null, "b": .string("x"), "c": .number(1)], ["a": .string("x"), "b": .null, "c": .number(1)],
                ["a": .string("x"), "b": .number(1), "c": .null], ["a": .string("x"), "b": .array([.null])],
                ["ключ \"null\"": .null, "z": .object(["inner": .null])],
            ]
            var changes = StoreChanges()
            for (index, document) in documents.enumerated() {
                let instance = BOIInstance(
                    boiId: Sample.id("Person", "P-\(index)"), bo: "Person", externalId: "P-\(index)", document: document)
                let event = BOIEvent(
                    instance: instance, isCreate: true, changes: document.removingNulls(), migrationId: Sample.migration,
                    operDate: OperDate(rawValue: "2026-11-20")!)
                let (json, range) = event.jsonNotingChanges
                changes.instances.append(instance)
                changes.created.insert(instance.boiId)
                changes.creationTexts[instance.boiId] = json[range]
            }
            #expect(try await fixture.apply(changes) == nil)
            let instances = changes.instances
            let stored = try await fixture.store.transaction { try $0.instances(instances.map(\.boiId)) }
            for instance in instances {
                #expect(stored[instance.boiId]?.document == instance.document, "\(instance.externalId)")
            }
        }
    }

    @Test func emptyChangesAndEmptyReadsAreFine() async throws {
        try await StoreFixture.with { fixture in
            let outboxID = try await fixture.store.transaction { transaction -> Int64? in
                #expect(try transaction.boiIDs(for: []).isEmpty)
                #expect(try transaction.instances([]).isEmpty)
                #expect(try transaction.instanceIDs(bo: "Person", uniqueKey: ["iin"], values: []).isEmpty)
                #expect(try transaction.parkedReferences(waitingFor: []).isEmpty)
                #expect(try transaction.lockParkedReferences(of: []).isEmpty)
                #expect(try transaction.catalogEntries([]).isEmpty)
                #expect(try transaction.positions(group: "g", topic: "t", partitions: []).isEmpty)
                return try transaction.apply(StoreChanges())
            }
            #expect(outboxID == nil)
            #expect(try await fixture.tableCounts().values.allSatisfy { $0 == 0 })
        }
    }
}
