import Domain
import Postgres

/// How far one in-table of one migration got.
public struct TableProgress: Sendable, Hashable, Codable {
    public var table: String
    public var rowsTotal: Int64?
    public var rowsRead: Int64
    public var rowsStreamed: Int64
    public var childRows: Int64
    public var rowsRejected: Int64

    public init(
        table: String, rowsTotal: Int64? = nil, rowsRead: Int64 = 0, rowsStreamed: Int64 = 0, childRows: Int64 = 0,
        rowsRejected: Int64 = 0
    ) {
        self.table = table
        self.rowsTotal = rowsTotal
        self.rowsRead = rowsRead
        self.rowsStreamed = rowsStreamed
        self.childRows = childRows
        self.rowsRejected = rowsRejected
    }
}

/// The journal states of one in-table of a migration.
public enum TableStatus: String, Sendable, Codable {
    case pending = "PENDING"
    case streaming = "STREAMING"
    case streamed = "STREAMED"
    case refused = "REFUSED"
    case failed = "FAILED"
}

extension Journal {
    /// A table started: its row count is known, reading begins.
    public func tableStarted(_ id: MigrationID, table: String, rowsTotal: Int64) async throws {
        try await client.execute(
            """
            UPDATE \(qualified("migration_table"))
            SET status = CASE WHEN status = 'REFUSED' THEN status ELSE 'STREAMING' END,
                rows_total = $3, started_at = now()
            WHERE migration_id = $1 AND table_name = $2
            """,
            [id.rawValue, table, String(rowsTotal)]
        )
    }

    /// Writes the counters of tables still in flight (called periodically while streaming).
    public func recordProgress(_ id: MigrationID, _ progress: [TableProgress]) async throws {
        for entry in progress {
            try await client.execute(
                """
                UPDATE \(qualified("migration_table"))
                SET rows_read = $3, rows_streamed = $4, child_rows = $5, rows_rejected = $6
                WHERE migration_id = $1 AND table_name = $2
                """,
                [
                    id.rawValue, entry.table, String(entry.rowsRead), String(entry.rowsStreamed),
                    String(entry.childRows), String(entry.rowsRejected),
                ]
            )
        }
    }

    /// A table is done: its final counters and status.
    public func tableFinished(_ id: MigrationID, _ progress: TableProgress, status: TableStatus) async throws {
        try await recordProgress(id, [progress])
        try await client.execute(
            """
            UPDATE \(qualified("migration_table")) SET status = $3, finished_at = now()
            WHERE migration_id = $1 AND table_name = $2
            """,
            [id.rawValue, progress.table, status.rawValue]
        )
    }
}
