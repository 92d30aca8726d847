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

    func close() async { await client.close() }
}
