import Domain
import Postgres

extension HandshakeTable {
    /// The columns in-migration adds to the customer's table (`ddl/010_process_tracking.sql`).
    static let completionColumns: [(name: String, type: String)] = [
        ("safe_to_clear_at", "timestamptz"), ("records_streamed", "bigint"), ("records_consumed", "bigint"),
        ("records_rejected", "bigint"), ("refs_dangling", "bigint"),
    ]

    /// Adds the completion columns where the customer's table lacks them. Asks the catalogue
    /// first: an ALTER would lock the customer's table at every start even when nothing is missing.
    public func installCompletionColumns() async throws {
        let present = Set(
            try await client.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
                [table]
            ).compactMap { $0["attname"] })
        let missing = Self.completionColumns.filter { !present.contains($0.name) }
        guard !missing.isEmpty else { return }
        let columns = missing.map { "ADD COLUMN IF NOT EXISTS \($0.name) \($0.type)" }
        try await client.execute("ALTER TABLE \(table) \(columns.joined(separator: ", "))")
    }

    /// Tells the customer that the in-tables of the row may be cleared, with the final counts.
    /// Written once: a row that has its moment keeps it.
    /// - Parameter at: the moment, in PostgreSQL's text form (as the journal holds it).
    /// - Returns: `false` when nothing was written (already written, or the row is not this
    ///   migration's any more).
    public func signalSafeToClear(
        trackingID: Int64, migrationID: MigrationID, at: String, recordsStreamed: Int64, recordsConsumed: Int64,
        recordsRejected: Int64, refsDangling: Int64
    ) async throws -> Bool {
        let rows = try await client.execute(
            """
            UPDATE \(table)
            SET safe_to_clear_at = $3::timestamptz, records_streamed = $4, records_consumed = $5,
                records_rejected = $6, refs_dangling = $7
            WHERE id = $1 AND occupied_by_process = $2 AND safe_to_clear_at IS NULL
            """,
            [
                String(trackingID), migrationID.rawValue, at, String(recordsStreamed), String(recordsConsumed),
                String(recordsRejected), String(refsDangling),
            ]
        )
        return rows.affectedRows == 1
    }

    /// Whether the migration still streams: its claim holds the row and its lease is fresh. A
    /// claimer that died mid-stream leaves a migration nobody should wait for.
    public func holdsLiveLease(trackingID: Int64, migrationID: MigrationID, lease: Duration) async throws -> Bool {
        let rows = try await client.execute(
            """
            SELECT 1 AS live FROM \(table)
            WHERE id = $1 AND occupied_by_process = $2 AND ins_inkafka_status IS NULL
                AND periodic_update_time > clock_timestamp() - $3::bigint * interval '1 millisecond'
            """,
            [String(trackingID), migrationID.rawValue, String(lease.components.seconds * 1000)])
        return !rows.isEmpty
    }

    /// Marks the row of a migration that lost data FAILED, whatever its stream said, so that it
    /// never looks finished; an explicit trigger re-runs it.
    public func signalLost(trackingID: Int64, migrationID: MigrationID) async throws {
        try await client.execute(
            """
            UPDATE \(table) SET ins_inkafka_status = '\(StreamStatus.failed)', periodic_update_time = NULL
            WHERE id = $1 AND occupied_by_process = $2 AND safe_to_clear_at IS NULL
            """,
            [String(trackingID), migrationID.rawValue]
        )
    }
}
