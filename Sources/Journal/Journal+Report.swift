import Domain
import Postgres

/// Everything the operator wants to know about one migration.
public struct MigrationReport: Sendable, Codable, Hashable {
    public struct Table: Sendable, Codable, Hashable {
        public var table: String
        public var bo: String
        public var status: String
        public var rowsTotal: Int64?
        public var rowsRead: Int64
        public var rowsStreamed: Int64
        public var childRows: Int64
        public var rowsRejected: Int64
        public var startedAt: String?
        public var finishedAt: String?
    }

    public var id: MigrationID
    public var trackingId: Int64
    public var operDate: OperDate
    public var status: String
    public var claimedBy: String
    public var takeoverOf: String?
    public var startedAt: String
    public var streamedAt: String?
    /// When the migration became safe to clear (status COMPLETE).
    public var completedAt: String?
    public var finishedAt: String?
    public var recordsStreamed: Int64
    public var recordsRejected: Int64
    public var error: String?
    public var tables: [Table]
    public var errorCount: Int64
    public var errors: [RecordError]
}

extension Journal {
    /// The report of one migration, or `nil` when the journal has no such migration.
    public func report(_ id: MigrationID, errorLimit: Int = 100) async throws -> MigrationReport? {
        guard let summary = try await migrations(where: "m.id = $1", [id.rawValue], limit: 1).first else {
            return nil
        }
        var report = summary
        let rows = try await client.execute(
            """
            SELECT table_name, bo, status, rows_total, rows_read, rows_streamed, child_rows, rows_rejected,
                   started_at::text AS started_at, finished_at::text AS finished_at
            FROM \(qualified("migration_table")) WHERE migration_id = $1 ORDER BY position
            """,
            [id.rawValue]
        )
        report.tables = rows.map { row in
            MigrationReport.Table(
                table: row["table_name"] ?? "", bo: row["bo"] ?? "", status: row["status"] ?? "",
                rowsTotal: row.int64("rows_total"), rowsRead: row.int64("rows_read") ?? 0,
                rowsStreamed: row.int64("rows_streamed") ?? 0, childRows: row.int64("child_rows") ?? 0,
                rowsRejected: row.int64("rows_rejected") ?? 0, startedAt: row["started_at"],
                finishedAt: row["finished_at"])
        }
        report.errors = try await errors(of: id, limit: errorLimit)
        return report
    }

    /// The most recent migrations, newest first, without their tables and errors.
    public func recentMigrations(limit: Int = 50) async throws -> [MigrationReport] {
        try await migrations(where: "true", [], limit: limit)
    }

    private func migrations(where condition: String, _ parameters: [String?], limit: Int) async throws
        -> [MigrationReport]
    {
        let rows = try await client.execute(
            """
            SELECT m.id, m.tracking_id, m.oper_date::text AS oper_date, m.status, m.claimed_by, m.takeover_of,
                   m.started_at::text AS started_at, m.streamed_at::text AS streamed_at,
                   m.completed_at::text AS completed_at,
                   m.finished_at::text AS finished_at, m.records_streamed, m.records_rejected, m.error,
                   (SELECT count(*) FROM \(qualified("migration_error")) e WHERE e.migration_id = m.id) AS error_count
            FROM \(qualified("migration")) m WHERE \(condition)
            ORDER BY m.started_at DESC LIMIT \(limit)
            """,
            parameters
        )
        return rows.compactMap { row in
            guard let id = row["id"], let operDate = row["oper_date"].flatMap(OperDate.init(rawValue:)) else {
                return nil
            }
            return MigrationReport(
                id: MigrationID(rawValue: id), trackingId: row.int64("tracking_id") ?? 0, operDate: operDate,
                status: row["status"] ?? "", claimedBy: row["claimed_by"] ?? "", takeoverOf: row["takeover_of"],
                startedAt: row["started_at"] ?? "", streamedAt: row["streamed_at"], completedAt: row["completed_at"],
                finishedAt: row["finished_at"],
                recordsStreamed: row.int64("records_streamed") ?? 0,
                recordsRejected: row.int64("records_rejected") ?? 0, error: row["error"], tables: [],
                errorCount: row.int64("error_count") ?? 0, errors: [])
        }
    }
}
