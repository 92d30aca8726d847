import Domain
import IntegrationSupport
import Postgres
@testable import PostgresStore
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

    /// A database collated for people, as production databases usually are: ICU's en-US, which
    /// orders "a" before "B" where bytes order "B" first.
    static let linguistic = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'"

    /// The store's indexes that compare text under any collation but "C".
    private static let indexesNotInC = """
        SELECT x.indexrelid::regclass::text AS name FROM pg_index x
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = 'inmigration'::regnamespace
            AND t.relname IN ('boi_instance', 'boi_map', 'boi_reference', 'catalog_entry', 'migration_dangling')
            AND EXISTS (
                SELECT 1 FROM unnest(x.indcollation::oid[]) AS c (collation_oid)
                WHERE c.collation_oid NOT IN (0, 'pg_catalog."C"'::regcollation)
            )
        ORDER BY 1
        """

    /// Every index of the store compares its identifiers and unique keys byte by byte, whatever
    /// the database's collation; a store an earlier version installed under the database's
    /// collation is altered at the next install, and keeps its rows, its view and its keys.
    @Test func identifiersCompareByteByByteAndEarlierStoresAreAltered() async throws {
        try await StoreFixture.with(databaseOptions: Self.linguistic) { fixture in
            let indexes = try await fixture.client.execute(
                "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'inmigration'")
            #expect((indexes.first?.int("n") ?? 0) > 10)
            #expect(try await fixture.client.execute(Self.indexesNotInC).compactMap { $0["name"] } == [])

            try await Self.makeEarlierStore(fixture)
            #expect(try await fixture.client.execute(Self.indexesNotInC).count >= 4)
            try await fixture.apply(Sample.creating([Sample.person("P-1", iin: "111")]))

            try await fixture.store.install(mapping: StoreFixture.mapping)
            #expect(try await fixture.client.execute(Self.indexesNotInC).compactMap { $0["name"] } == [])
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.boi_external_id") == 1)
            let owners = try await fixture.store.transaction { transaction in
                try transaction.instanceIDs(bo: "Person", uniqueKey: ["iin"], values: [["111"]])
            }
            #expect(owners == [Sample.id("Person", "P-1")])
            let conflict = try await #require(throws: StoreConflict.self) {
                try await fixture.apply(Sample.creating([Sample.person("P-2", iin: "111")]))
            }
            #expect(conflict.kind == .duplicateKey(bo: "Person", fields: ["iin"]))
        }
    }

    /// A view of the operator's over a store table stops that table's alteration: the table keeps
    /// the database's collation, the others are altered, and the store starts and works.
    @Test func aViewOverAStoreTableKeepsThatTableAsItWas() async throws {
        try await StoreFixture.with(databaseOptions: Self.linguistic) { fixture in
            try await Self.makeEarlierStore(fixture)
            try await fixture.client.execute(
                "CREATE VIEW inmigration.people_keys AS SELECT external_id FROM inmigration.boi_map WHERE bo = 'Person'")

            try await fixture.store.install(mapping: StoreFixture.mapping)
            #expect(try await fixture.client.execute(Self.indexesNotInC).compactMap { $0["name"] } == ["inmigration.boi_map_pkey"])
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.people_keys") == 0)
            try await fixture.apply(Sample.creating([Sample.person("P-1", iin: "111")]))
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.boi_external_id") == 1)
        }
    }

    /// The store as an earlier version left it: identifiers and a unique key under the
    /// database's collation.
    private static func makeEarlierStore(_ fixture: StoreFixture) async throws {
        let personKey = UniqueKeyIndex(bo: "Person", fields: ["iin"]).name
        try await fixture.client.execute(
            """
            DROP VIEW inmigration.boi_external_id;
            ALTER TABLE inmigration.boi_instance ALTER COLUMN boi_id TYPE text COLLATE "default",
                ALTER COLUMN bo TYPE text COLLATE "default";
            ALTER TABLE inmigration.boi_map ALTER COLUMN external_id TYPE text COLLATE "default";
            ALTER TABLE inmigration.boi_reference ALTER COLUMN target_external_id TYPE text COLLATE "default";
            DROP INDEX inmigration.\(personKey);
            CREATE UNIQUE INDEX \(personKey) ON inmigration.boi_instance ((document->>'iin')) WHERE bo = 'Person';
            """)
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
