import Domain
import Logging
import Postgres

/// One view of the customer's database for a whole migration: every count and every COPY of
/// every in-table, on whichever reader, sees the data as it was when the migration began.
///
/// The handshake says the in-tables do not change while they are streamed, but nothing enforces
/// it. Without one snapshot, a row updated mid-stream so that its message key moves to another
/// reader's share would be read twice or not at all, and a table's count would not match what
/// was streamed. So a connection of its own exports a snapshot (`pg_export_snapshot()`) and
/// holds its transaction open, idle, until the reads are done; each read imports it
/// (`SET TRANSACTION SNAPSHOT`). If that connection is lost, the next import fails and the
/// migration fails with it, rather than reading outside the snapshot.
struct SourceSnapshot: Sendable {
    /// What `SET TRANSACTION SNAPSHOT` takes, as the server gave it.
    let id: String
    private let exporter: PostgresClient

    /// Opens the exporting transaction on a new connection to `conninfo`.
    /// - Throws: ``PostgresError`` when the database cannot be reached or refuses the export.
    static func export(for migration: MigrationID, conninfo: String, logger: Logger) async throws -> SourceSnapshot {
        let exporter = PostgresClient(conninfo: conninfo, logger: logger)
        do {
            let id = try await exporter.withConnection { connection in
                try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                // The transaction sits idle while the readers work.
                try connection.execute(Self.withoutTimeouts)
                return try connection.execute("SELECT pg_export_snapshot() AS id").first?["id"]
            }
            guard let id else {
                throw StarterError(
                    .sourceFailed, migrationID: migration, message: "pg_export_snapshot() returned no snapshot")
            }
            return SourceSnapshot(id: id, exporter: exporter)
        } catch {
            await exporter.close()
            throw error
        }
    }

    /// Runs `body` in a read-only transaction that sees this snapshot, whose scans read each table
    /// from its first page to its last, writes times in UTC and has no statement timeout.
    /// - Throws: ``PostgresError`` when the snapshot is gone (its connection was lost or
    ///   ``close()`` was called), or what `body` threw.
    func read<T>(on connection: PostgresConnection, _ body: (PostgresConnection) throws -> T) throws -> T {
        try connection.transaction { connection in
            try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try connection.execute("SET TRANSACTION SNAPSHOT \(PostgresConnection.quoteLiteral(id))")
            // A scan of a table larger than a quarter of the server's buffers otherwise starts
            // where another scan of it last was, and the table's order is the order records that
            // merge on a unique key are merged in. A timestamptz is written with the session's
            // offset: in UTC, the same row makes the same message wherever the starter runs.
            try connection.execute(
                "SET LOCAL synchronize_seqscans = off; SET LOCAL TimeZone = 'UTC'; " + Self.withoutTimeouts)
            return try body(connection)
        }
    }

    /// Lifts, for one transaction, the limits a customer's role or database may set for their own
    /// work, as pg_dump does: a large table takes as long as it takes to read, and the snapshot
    /// must outlive every read. `transaction_timeout` exists from PostgreSQL 17 on.
    static let withoutTimeouts = """
        SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0; \
        SELECT set_config('transaction_timeout', '0', true) WHERE current_setting('server_version_num')::int >= 170000
        """

    /// Ends the exporting transaction (by closing its connection); later reads fail.
    func close() async {
        await exporter.close()
    }
}
