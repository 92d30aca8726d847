import DDL
import Domain
import Logging
import Postgres

/// The customer's side of the demo: its tables, its daily loads and the handshake.
struct DemoCustomer {
    let client: PostgresClient

    init(url: String, logger: Logger) {
        client = PostgresClient(conninfo: url, logger: logger)
    }

    func createTables() async throws {
        try await client.execute(DDL.processTracking)
        try await client.execute(DDL.sampleInTables)
    }

    /// Fills the in-tables with one day's load and signals it in process_tracking.
    func load(_ sql: String, day: OperDate) async throws {
        try await client.execute(sql)
        try await client.execute("DELETE FROM process_tracking WHERE oper_date = $1::date", [day.rawValue])
        try await client.execute(
            """
            INSERT INTO process_tracking (oper_date, start_load_time, end_load_time, load_status)
            VALUES ($1::date, now() - interval '5 minutes', now(), 'DONE')
            """,
            [day.rawValue])
    }

    /// The platform's contract_status classifier, which CO fields resolve against.
    func fillCatalog(storeURL: String, schema: String) async throws {
        let store = PostgresClient(conninfo: storeURL, logger: Logger(label: "inmigration.demo"))
        try await store.execute(
            """
            INSERT INTO \(PostgresConnection.quoteIdentifier(schema)).catalog_entry (catalog, code, id) VALUES
                ('contract_status', 'DRAFT', 'co-contract-status-draft'),
                ('contract_status', 'ACTIVE', 'co-contract-status-active'),
                ('contract_status', 'CLOSED', 'co-contract-status-closed')
            ON CONFLICT DO NOTHING
            """)
        await store.close()
    }

    func close() async { await client.close() }
}
