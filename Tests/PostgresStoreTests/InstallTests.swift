import Domain
import IntegrationSupport
import Postgres
import PostgresStore
import Store
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct InstallTests {
    @Test func installTwiceIsIdempotent() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.store.install(mapping: StoreFixture.mapping)
            let (second, client) = fixture.secondStore()
            try await second.install(mapping: StoreFixture.mapping)
            await client.close()
            let indexes = try await fixture.client.execute(
                """
                SELECT indexname FROM pg_indexes
                WHERE schemaname = 'inmigration' AND indexname LIKE 'boi\\_uk\\_%' ORDER BY indexname
                """)
            let names = indexes.compactMap { $0["indexname"] }
            #expect(names.count == 2)
            #expect(names.contains { $0.hasPrefix("boi_uk_person_") })
            #expect(names.contains { $0.hasPrefix("boi_uk_contract_") })
            #expect(try await fixture.count(
                "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'inmigration'") == 13)
        }
    }

    /// A BO code with quotes, spaces and Cyrillic, longer than PostgreSQL's 63-byte names:
    /// quoted where it goes into SQL, shortened where it names the index.
    @Test func awkwardNamesAreQuotedAndShortened() async throws {
        try await StoreFixture.with { fixture in
            let bo = BOCode("Очень \"длинный\" O'Brien бизнес-объект с пробелами и ещё словами")
            let mapping = MigrationMapping(tables: [
                TableMapping(table: "in_odd", bo: bo, externalId: "id", uniqueKeys: [["код 'a'", "b\"c"]])
            ])
            try await fixture.store.install(mapping: mapping)
            try await fixture.store.install(mapping: mapping)
            let names = try await fixture.client.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'inmigration' AND indexname LIKE 'boi\\_uk\\_\\_%'"
            ).compactMap { $0["indexname"] }
            #expect(names.count == 1)
            #expect((names.first?.utf8.count ?? 99) <= 63)

            let first = BOIInstance(
                boiId: BoiID(rawValue: "odd-1"), bo: bo, externalId: "1",
                document: ["код 'a'": .string("x"), "b\"c": .number(1)])
            let second = BOIInstance(
                boiId: BoiID(rawValue: "odd-2"), bo: bo, externalId: "2", document: first.document)
            let conflict = try await #require(throws: StoreConflict.self) {
                try await fixture.store.transaction { transaction in
                    _ = try transaction.apply(Sample.creating([first, second]))
                }
            }
            #expect(conflict.kind == .duplicateKey(bo: bo, fields: ["код 'a'", "b\"c"]))
        }
    }

    /// A process that did not install the index itself (another instance did) still names the
    /// key of a clash: it reads the index's description from the catalogue.
    @Test func storeThatDidNotInstallRecognisesTheKey() async throws {
        try await StoreFixture.with { fixture in
            let (other, client) = fixture.secondStore()
            var caught: (any Error)?
            do {
                try await other.transaction { transaction in
                    _ = try transaction.apply(
                        Sample.creating([Sample.person("P-1", iin: "111"), Sample.person("P-2", iin: "111")]))
                }
            } catch {
                caught = error
            }
            await client.close()
            let conflict = try #require(caught as? StoreConflict)
            #expect(conflict.kind == .duplicateKey(bo: "Person", fields: ["iin"]))
        }
    }
}
