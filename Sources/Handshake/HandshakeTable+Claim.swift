import Domain
import Logging
import Postgres

/// A row of `process_tracking` that this process now owns.
public struct Claim: Sendable, Hashable {
    public var trackingID: Int64
    public var operDate: OperDate
    public var migrationID: MigrationID
    /// The migration whose lease had expired when this claim took the row over, if any.
    public var takeoverOf: MigrationID?
}

/// What a claim attempt found.
public enum ClaimOutcome: Sendable, Hashable {
    /// The row is ours: stream it.
    case claimed(Claim)
    /// A ready row exists but another live migration holds it.
    case busy(TrackingRow)
    /// No row is ready (or the requested oper_date is not ready, or already done).
    case nothingReady
}

extension HandshakeTable {
    /// Claims the next ready row, atomically: among any number of concurrent claimers exactly one
    /// gets a given row.
    ///
    /// A row is ready when the customer set `load_status` to the ready value, it is not streamed
    /// yet, and nobody holds a live lease on it. A lease is live while `periodic_update_time` is
    /// younger than `lease`; an expired lease means its claimer died, and the row is taken over.
    /// Rows that failed are retried only when their oper_date is asked for explicitly.
    /// - Parameters:
    ///   - migrationID: the id the new migration will carry (`occupied_by_process`).
    ///   - lease: how long a claim stays valid without a heartbeat.
    ///   - operDate: claim this day only; `nil` takes the oldest ready day.
    public func claim(migrationID: MigrationID, lease: Duration, operDate: OperDate? = nil) async throws -> ClaimOutcome {
        let rows = try await client.execute(
            """
            WITH candidate AS (
                SELECT id, occupied_by_process AS previous FROM \(table)
                WHERE load_status = $2
                  AND (ins_inkafka_status IS NULL OR ($3::date IS NOT NULL AND ins_inkafka_status = 'FAILED'))
                  AND ($3::date IS NULL OR oper_date = $3::date)
                  AND (occupied_by_process IS NULL OR periodic_update_time IS NULL
                       OR periodic_update_time < clock_timestamp() - $4::interval)
                ORDER BY oper_date, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE \(table) AS t
            SET occupied_by_process = $1, start_ins_inkafka_time = clock_timestamp(),
                end_ins_inkafka_time = NULL, ins_inkafka_status = NULL, migrate_cur_date = current_date,
                periodic_update_time = clock_timestamp()
            FROM candidate WHERE t.id = candidate.id
            RETURNING t.id, t.oper_date::text AS oper_date, candidate.previous
            """,
            [migrationID.rawValue, readyStatus, operDate?.rawValue, Self.interval(lease)]
        )
        if let row = rows.first, let id = row.int64("id") {
            guard let date = row["oper_date"].flatMap(OperDate.init(rawValue:)) else {
                try await failUnstreamable(id, operDate: row["oper_date"], migrationID: migrationID)
                return try await claim(migrationID: migrationID, lease: lease, operDate: operDate)
            }
            let previous = row["previous"].map(MigrationID.init(rawValue:))
            let claim = Claim(trackingID: id, operDate: date, migrationID: migrationID, takeoverOf: previous)
            logger.info(
                "claimed process_tracking row",
                metadata: [
                    "tracking_id": "\(id)", "oper_date": "\(date)", "migration_id": "\(migrationID)",
                    "takeover_of": "\(previous?.rawValue ?? "-")",
                ])
            return .claimed(claim)
        }
        if let holder = try await liveHolder(lease: lease, operDate: operDate) {
            return .busy(holder)
        }
        return .nothingReady
    }

    /// Fails a row just claimed whose day is not a calendar day a migration can carry (a NULL, or
    /// `infinity`): held, it would be claimed again at every lease's end and never streamed.
    /// `FAILED` tells the customer, and a failed day is not claimed again unless asked for.
    private func failUnstreamable(_ id: Int64, operDate: String?, migrationID: MigrationID) async throws {
        try await client.execute(
            """
            UPDATE \(table) SET ins_inkafka_status = 'FAILED', end_ins_inkafka_time = clock_timestamp()
            WHERE id = $1 AND occupied_by_process = $2
            """,
            [String(id), migrationID.rawValue])
        logger.error(
            "process_tracking row marked FAILED: its oper_date is not a calendar day",
            metadata: ["tracking_id": "\(id)", "oper_date": "\(operDate ?? "NULL")"])
    }

    /// A ready row that a live migration holds (what makes a claim answer "busy").
    private func liveHolder(lease: Duration, operDate: OperDate?) async throws -> TrackingRow? {
        let rows = try await client.execute(
            """
            SELECT \(Self.columns) FROM \(table)
            WHERE load_status = $1 AND ins_inkafka_status IS NULL
              AND ($2::date IS NULL OR oper_date = $2::date)
              AND occupied_by_process IS NOT NULL
              AND periodic_update_time >= clock_timestamp() - $3::interval
            ORDER BY oper_date, id LIMIT 1
            """,
            [readyStatus, operDate?.rawValue, Self.interval(lease)]
        )
        return rows.first.flatMap(TrackingRow.init(row:))
    }

    static func interval(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) milliseconds"
    }
}
