import Config
import Domain
import Foundation
import IntegrationSupport
import Logging
import Postgres
import Starter
import Testing

@Suite("The mapping checked against the source database", .serialized, .enabled(if: TestDatabase.isAvailable))
struct CatalogTests {
    private func discover(_ adjust: @escaping (inout InMigrationConfiguration) -> Void) async throws {
        try await TestDatabase.with { database in
            let source = SampleSource(url: database.url)
            try await source.createTables()
            let configuration = try TestConfiguration.make(
                databaseURL: database.url, bootstrapServers: "127.0.0.1:1", adjust: adjust)
            _ = try await InTableCatalog.discover(configuration: configuration, client: source.client)
            await source.close()
        }
    }

    private func expectError(
        key: String, mentioning words: [String], _ adjust: @escaping (inout InMigrationConfiguration) -> Void
    ) async {
        do {
            try await discover(adjust)
            Issue.record("the mapping was accepted")
        } catch let error as ConfigurationError {
            #expect(error.key == key)
            #expect(error.description.hasPrefix(TestConfiguration.exampleFile + ": " + key + ": "))
            for word in words { #expect(error.problem.contains(word), "\(error.problem) does not mention \(word)") }
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func theExampleMappingMatchesTheSampleTables() async throws {
        try await discover { _ in }
    }

    /// Only an index that makes one column unique on its own counts: the starter then knows
    /// each externalId has one row and skips looking for externalIds with several keys.
    @Test func columnsKeptUniqueByAnIndexOfTheirOwn() async throws {
        try await TestDatabase.with { database in
            let source = SampleSource(url: database.url)
            try await source.createTables()
            for statement in [
                "ALTER TABLE in_department ADD PRIMARY KEY (external_id)",
                "CREATE UNIQUE INDEX ON in_person (iin)",
                "CREATE UNIQUE INDEX ON in_person (external_id) WHERE NOT removed",
                "CREATE UNIQUE INDEX ON in_person (lower(first_name))",
                "CREATE UNIQUE INDEX ON in_person (last_name, email)",
                "CREATE UNIQUE INDEX ON in_contract (external_id) INCLUDE (contract_number)",
            ] {
                try await source.client.execute(statement)
            }
            let configuration = try TestConfiguration.make(databaseURL: database.url, bootstrapServers: "127.0.0.1:1")
            let tables = try await InTableCatalog.discover(configuration: configuration, client: source.client)
            let unique = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.uniqueColumns) })
            #expect(unique["in_department"] == ["external_id"])
            #expect(unique["in_person"] == ["iin"])
            #expect(unique["in_contract"] == ["external_id"])
            #expect(unique["in_person_group"] == [])
            await source.close()
        }
    }

    @Test func anUnknownTable() async {
        await expectError(key: "mapping.tables[1].table", mentioning: ["in_persn", "does not exist"]) {
            $0.mapping.tables[1].table = "in_persn"
        }
    }

    @Test func anUnknownExternalIdColumn() async {
        await expectError(key: "mapping.tables[0].externalId", mentioning: ["ext_id", "in_department"]) {
            $0.mapping.tables[0].externalId = "ext_id"
        }
    }

    @Test func anUnknownReferenceColumn() async {
        await expectError(key: "mapping.tables[3].references[0].column", mentioning: ["person_id"]) {
            $0.mapping.tables[3].references[0].column = "person_id"
        }
    }

    @Test func aRemovedColumnThatIsNotBoolean() async {
        await expectError(key: "mapping.tables[1].removed", mentioning: ["boolean", "text"]) {
            $0.mapping.tables[1].removed = "email"
        }
    }

    @Test func anUnknownChildLinkColumn() async {
        await expectError(key: "mapping.tables[1].children[0].link", mentioning: ["person_ext", "in_person_phone"]) {
            $0.mapping.tables[1].children[0].link = "person_ext"
        }
    }

    @Test func aManyReferenceOnAPlainColumn() async {
        await expectError(key: "mapping.tables[2].references[0].many", mentioning: ["array"]) {
            $0.mapping.tables[2].references[0].column = "name"
        }
    }

    @Test func aUniqueKeyOverAReferenceField() async {
        await expectError(key: "mapping.tables[1].uniqueKeys[0]", mentioning: ["department", "plain column"]) {
            $0.mapping.tables[1].uniqueKeys = [["department"]]
        }
    }
}
