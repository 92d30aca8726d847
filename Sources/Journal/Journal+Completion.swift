import Domain
import Foundation
import Postgres

/// A migration whose stream is done and which waits for the consumer group to catch up.
public struct StreamedMigration: Sendable, Hashable {
    public var id: MigrationID
    public var trackingID: Int64
    public var recordsStreamed: Int64
    public var recordsRejected: Int64
}

/// The final counts of a migration, written with its completion.
public struct CompletionCounts: Sendable, Hashable, Codable {
    public var recordsStreamed: Int64
    public var recordsConsumed: Int64
    /// Refused by the stream (the BO is not migrated this way, or the row could not be read).
    public var streamRejected: Int64
    /// Rejected by the consumer (with their reasons in `migration_error`).
    public var consumeRejected: Int64
    public var refsDangling: Int64

    public init(
        recordsStreamed: Int64, recordsConsumed: Int64, streamRejected: Int64, consumeRejected: Int64,
        refsDangling: Int64
    ) {
        self.recordsStreamed = recordsStreamed
        self.recordsConsumed = recordsConsumed
        self.streamRejected = streamRejected
        self.consumeRejected = consumeRejected
        self.refsDangling = refsDangling
    }

    /// Rejected by either stage.
    public var recordsRejected: Int64 { streamRejected + consumeRejected }
}

/// A completion the customer's `process_tracking` has not been told about yet.
public struct UnsignalledCompletion: Sendable, Hashable {
    public var id: MigrationID
    public var trackingID: Int64
    /// The safe-to-clear moment, as the journal holds it (PostgreSQL's text form).
    public var completedAt: String
    public var counts: CompletionCounts
}

extension Journal {
    /// Migrations whose stream is done and that are not complete yet, oldest first.
    public func streamedMigrations() async throws -> [StreamedMigration] {
        let rows = try await client.execute(
            """
            SELECT id, tracking_id, records_streamed, records_rejected FROM \(qualified("migration"))
            WHERE status = 'STREAMED' ORDER BY started_at
            """)
        return rows.compactMap { row in
            guard let id = row["id"], let tracking = row.int64("tracking_id") else { return nil }
            return StreamedMigration(
                id: MigrationID(rawValue: id), trackingID: tracking, recordsStreamed: row.int64("records_streamed") ?? 0,
                recordsRejected: row.int64("records_rejected") ?? 0)
        }
    }

    /// A migration still on its way: streaming, or streamed and not complete.
    public struct Unfinished: Sendable, Hashable {
        public var id: MigrationID
        public var trackingID: Int64
        public var status: MigrationStatus
    }

    /// Migrations still on their way, oldest first.
    public func unfinishedMigrations() async throws -> [Unfinished] {
        let rows = try await client.execute(
            """
            SELECT id, tracking_id, status FROM \(qualified("migration"))
            WHERE status IN ('STREAMING', 'STREAMED') ORDER BY started_at
            """)
        return rows.compactMap { row in
            guard let id = row["id"], let tracking = row.int64("tracking_id"),
                let status = row["status"].flatMap(MigrationStatus.init(rawValue:))
            else { return nil }
            return Unfinished(id: MigrationID(rawValue: id), trackingID: tracking, status: status)
        }
    }

    /// Marks a streamed migration COMPLETE at `at`, the moment its in-tables became safe to clear.
    /// - Returns: `false` when it was not STREAMED any more (another instance completed it, or it
    ///   failed): nothing was written.
    public func markComplete(_ id: MigrationID, at: Date, counts: CompletionCounts) async throws -> Bool {
        let rows = try await client.execute(
            """
            UPDATE \(qualified("migration"))
            SET status = 'COMPLETE', completed_at = to_timestamp($2::double precision), finished_at = now(),
                records_consumed = $3, consume_rejected = $4, refs_dangling = $5
            WHERE id = $1 AND status = 'STREAMED'
            """,
            [
                id.rawValue, String(at.timeIntervalSince1970), String(counts.recordsConsumed),
                String(counts.consumeRejected), String(counts.refsDangling),
            ]
        )
        return rows.affectedRows == 1
    }

    /// Completed migrations whose moment has not been copied into `process_tracking` yet.
    public func unsignalledCompletions() async throws -> [UnsignalledCompletion] {
        let rows = try await client.execute(
            """
            SELECT id, tracking_id, completed_at::text AS completed_at, records_streamed, records_rejected,
                   records_consumed, consume_rejected, refs_dangling
            FROM \(qualified("migration")) WHERE status = 'COMPLETE' AND signalled_at IS NULL ORDER BY completed_at
            """)
        return rows.compactMap { row in
            guard let id = row["id"], let tracking = row.int64("tracking_id"), let at = row["completed_at"] else {
                return nil
            }
            let counts = CompletionCounts(
                recordsStreamed: row.int64("records_streamed") ?? 0, recordsConsumed: row.int64("records_consumed") ?? 0,
                streamRejected: row.int64("records_rejected") ?? 0, consumeRejected: row.int64("consume_rejected") ?? 0,
                refsDangling: row.int64("refs_dangling") ?? 0)
            return UnsignalledCompletion(id: MigrationID(rawValue: id), trackingID: tracking, completedAt: at, counts: counts)
        }
    }

    /// `process_tracking` has the completion of `id`.
    public func markSignalled(_ id: MigrationID) async throws {
        try await client.execute(
            "UPDATE \(qualified("migration")) SET signalled_at = now() WHERE id = $1 AND signalled_at IS NULL",
            [id.rawValue])
    }

    /// Fails every migration still on its way: messages of the topic were lost before the group
    /// consumed them, and any of these migrations may have lost records.
    /// - Returns: the migrations failed now.
    public func failUnfinished(reason: String) async throws -> [StreamedMigration] {
        let migration = qualified("migration")
        let errors = qualified("migration_error")
        return try await client.withConnection { connection in
            try connection.transaction { transaction in
                let rows = try transaction.execute(
                    """
                    UPDATE \(migration) SET status = 'FAILED', finished_at = now(), error = $1
                    WHERE status IN ('STREAMING', 'STREAMED')
                    RETURNING id, tracking_id, records_streamed, records_rejected
                    """,
                    [reason])
                let failed = rows.compactMap { row -> StreamedMigration? in
                    guard let id = row["id"], let tracking = row.int64("tracking_id") else { return nil }
                    return StreamedMigration(
                        id: MigrationID(rawValue: id), trackingID: tracking,
                        recordsStreamed: row.int64("records_streamed") ?? 0,
                        recordsRejected: row.int64("records_rejected") ?? 0)
                }
                for entry in failed {
                    try transaction.execute(
                        "INSERT INTO \(errors) (migration_id, stage, reason) VALUES ($1, 'consume', $2)",
                        [entry.id.rawValue, reason])
                }
                return failed
            }
        }
    }
}
