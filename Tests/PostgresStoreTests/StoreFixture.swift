import Domain
import IntegrationSupport
import Journal
import Logging
import Postgres
import PostgresStore
import Store

/// One test's world: a fresh database with the journal and the BOI store installed, and a way
/// to open more clients on it (a second consumer, a second process).
struct StoreFixture {
    static let schema = "inmigration"

    /// Unique keys: Person by iin; Contract by (number, year), a number in the documents.
    static let mapping = MigrationMapping(tables: [
        TableMapping(table: "in_person", bo: "Person", externalId: "external_id", uniqueKeys: [["iin"]]),
        TableMapping(table: "in_department", bo: "Department", externalId: "external_id"),
        TableMapping(table: "in_contract", bo: "Contract", externalId: "external_id", uniqueKeys: [["number", "year"]]),
    ])

    let database: TestDatabase
    let client: PostgresClient
    let store: PostgresBOIStore
    let journal: Journal

    static var logger: Logger {
        var logger = Logger(label: "test.boistore")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with a fresh fixture and drops the database afterwards, whatever happened.
    /// - Parameter databaseOptions: as ``TestDatabase/create(options:logger:)`` takes them.
    static func with(databaseOptions: String = "", _ body: (StoreFixture) async throws -> Void) async throws {
        let database = try await TestDatabase.create(options: databaseOptions)
        let client = PostgresClient(conninfo: database.url, logger: logger)
        let fixture = StoreFixture(
            database: database, client: client,
            store: PostgresBOIStore(client: client, schema: schema, logger: logger),
            journal: Journal(client: client, schema: schema, logger: logger))
        do {
            try await fixture.journal.install()
            try await fixture.store.install(mapping: mapping)
            try await body(fixture)
        } catch {
            await client.close()
            await database.drop()
            throw error
        }
        await client.close()
        await database.drop()
    }

    /// Another store on its own connection, as a second consumer process would have; close its
    /// client when done.
    func secondStore() -> (PostgresBOIStore, PostgresClient) {
        let client = PostgresClient(conninfo: database.url, logger: Self.logger)
        return (PostgresBOIStore(client: client, schema: Self.schema, logger: Self.logger), client)
    }

    /// Applies `changes` in a transaction of their own.
    @discardableResult
    func apply(_ changes: StoreChanges, on store: PostgresBOIStore? = nil) async throws -> Int64? {
        try await (store ?? self.store).transaction { try $0.apply(changes) }
    }

    /// A number from a query of the test's own (counts, mostly).
    func count(_ sql: String, _ parameters: [String?] = []) async throws -> Int {
        try await client.execute(sql, parameters).first?.int("n") ?? -1
    }

    /// Rows in each store table, to check that nothing was written.
    func tableCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in [
            "boi_instance", "boi_map", "boi_reference", "outbox_batch", "consumer_position", "consume_stats",
            "migration_marker", "migration_dangling", "migration_error",
        ] {
            counts[table] = try await count("SELECT count(*) AS n FROM inmigration.\(table)")
        }
        return counts
    }
}

/// Test data.
enum Sample {
    static let migration = MigrationID(rawValue: "mig-test-1")

    static func key(_ bo: BOCode, _ externalId: String) -> BOKey { BOKey(bo: bo, externalId: externalId) }

    static func id(_ bo: BOCode, _ externalId: String) -> BoiID { BoiID.derived(from: key(bo, externalId)) }

    static func person(_ externalId: String, iin: String?, name: String = "Aigerim") -> BOIInstance {
        var document: JSONObject = ["external_id": .string(externalId), "first_name": .string(name)]
        if let iin { document["iin"] = .string(iin) }
        return BOIInstance(boiId: id("Person", externalId), bo: "Person", externalId: externalId, document: document)
    }

    static func contract(_ externalId: String, number: String, year: Double) -> BOIInstance {
        BOIInstance(
            boiId: id("Contract", externalId), bo: "Contract", externalId: externalId,
            document: ["number": .string(number), "year": .number(JSONNumber(year))])
    }

    /// Changes that create `instances` and map their externalIds.
    static func creating(_ instances: [BOIInstance]) -> StoreChanges {
        var changes = StoreChanges()
        changes.instances = instances
        changes.created = Set(instances.map(\.boiId))
        for instance in instances {
            changes.mappings[BOKey(bo: instance.bo, externalId: instance.externalId)] = instance.boiId
        }
        return changes
    }
}

extension BOIStoreTransaction {
    /// Every parked reference waiting for any of these targets, with no limit per target.
    func parkedReferences(waitingFor targets: [ParkedReference.Target]) throws -> [ParkedReference] {
        try parkedReferences(waitingFor: targets, limitEach: nil)
    }

    /// ``boiIDs(for:lockingAliasesOf:)``, locking the aliases of every key, as a batch does for
    /// its own records.
    func boiIDs(for keys: [BOKey]) throws -> [BOKey: BoiID] {
        try boiIDs(for: keys, lockingAliasesOf: keys.sortedUnique())
    }
}
