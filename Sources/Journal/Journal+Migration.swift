import Domain
import Postgres

/// What the journal needs to know when a migration starts.
public struct MigrationStart: Sendable {
    public var migrationID: MigrationID
    public var trackingID: Int64
    public var operDate: OperDate
    public var claimedBy: String
    public var takeoverOf: MigrationID?
    /// The in-tables in mapping order, with whether their BO is refused.
    public var tables: [(table: String, bo: BOCode, refused: Bool)]

    public init(
        migrationID: MigrationID, trackingID: Int64, operDate: OperDate, claimedBy: String,
        takeoverOf: MigrationID?, tables: [(table: String, bo: BOCode, refused: Bool)]
    ) {
        self.migrationID = migrationID
        self.trackingID = trackingID
        self.operDate = operDate
        self.claimedBy = claimedBy
        self.takeoverOf = takeoverOf
        self.tables = tables
    }
}

/// The journal states of a migration (`ddl/020_journal.sql`).
public enum MigrationStatus: String, Sendable, Codable {
    case streaming = "STREAMING"
    case streamed = "STREAMED"
    case complete = "COMPLETE"
    case failed = "FAILED"
    case abandoned = "ABANDONED"
}

extension Journal {
    /// Records a new migration and its in-tables; a migration it took over becomes ABANDONED.
    public func begin(_ start: MigrationStart) async throws {
        let migration = qualified("migration")
        let tables = qualified("migration_table")
        try await client.withConnection { connection in
            try connection.transaction { transaction in
                try transaction.execute(
                    """
                    INSERT INTO \(migration) (id, tracking_id, oper_date, status, claimed_by, takeover_of)
                    VALUES ($1, $2, $3::date, 'STREAMING', $4, $5)
                    """,
                    [
                        start.migrationID.rawValue, String(start.trackingID), start.operDate.rawValue,
                        start.claimedBy, start.takeoverOf?.rawValue,
                    ]
                )
                if let previous = start.takeoverOf {
                    try transaction.execute(
                        """
                        UPDATE \(migration) SET status = 'ABANDONED', finished_at = now(),
                            error = coalesce(error, 'lease expired; taken over by ' || $2)
                        WHERE id = $1 AND status = 'STREAMING'
                        """,
                        [previous.rawValue, start.migrationID.rawValue]
                    )
                }
                for (position, entry) in start.tables.enumerated() {
                    try transaction.execute(
                        """
                        INSERT INTO \(tables) (migration_id, table_name, bo, position, status)
                        VALUES ($1, $2, $3, $4, $5)
                        """,
                        [
                            start.migrationID.rawValue, entry.table, entry.bo.rawValue, String(position),
                            entry.refused ? "REFUSED" : "PENDING",
                        ]
                    )
                }
            }
        }
    }

    /// The stream is complete: every record and marker was acknowledged. A migration failed in the
    /// meantime (its data was lost before it was consumed) stays failed.
    public func markStreamed(_ id: MigrationID, records: Int64, rejected: Int64) async throws {
        try await client.execute(
            """
            UPDATE \(qualified("migration"))
            SET status = 'STREAMED', streamed_at = now(), finished_at = now(),
                records_streamed = $2, records_rejected = $3
            WHERE id = $1 AND status = 'STREAMING'
            """,
            [id.rawValue, String(records), String(rejected)]
        )
    }

    /// The migration failed; `reason` is what the operator reads first.
    public func markFailed(_ id: MigrationID, reason: String) async throws {
        try await finish(id, status: .failed, reason: reason)
    }

    /// The migration stopped without a verdict (shutdown) and its claim was released for another
    /// instance, which will start a new migration for the same row.
    public func markAbandoned(_ id: MigrationID, reason: String) async throws {
        try await finish(id, status: .abandoned, reason: reason)
    }

    private func finish(_ id: MigrationID, status: MigrationStatus, reason: String) async throws {
        try await client.execute(
            """
            UPDATE \(qualified("migration")) SET status = $3, finished_at = now(), error = $2
            WHERE id = $1 AND status = 'STREAMING'
            """,
            [id.rawValue, reason, status.rawValue]
        )
        try await client.execute(
            """
            UPDATE \(qualified("migration_table")) SET status = 'FAILED', finished_at = now()
            WHERE migration_id = $1 AND status IN ('PENDING', 'STREAMING')
            """,
            [id.rawValue]
        )
    }
}
