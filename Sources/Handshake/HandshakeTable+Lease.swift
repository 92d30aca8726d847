import Domain
import Postgres

extension HandshakeTable {
    /// Renews the lease of a claim.
    /// - Returns: `false` when the claim is no longer ours (another instance took the row over
    ///   after our lease expired): the caller must stop at once and signal nothing.
    public func renewLease(_ claim: Claim) async throws -> Bool {
        let rows = try await client.execute(
            """
            UPDATE \(table) SET periodic_update_time = clock_timestamp()
            WHERE id = $1 AND occupied_by_process = $2 AND ins_inkafka_status IS NULL
            """,
            [String(claim.trackingID), claim.migrationID.rawValue]
        )
        return rows.affectedRows == 1
    }

    /// The done-signal: every record was acknowledged by the broker. Sets `end_ins_inkafka_time`
    /// and `ins_inkafka_status`, but only while the claim is still ours.
    /// - Returns: `false` when the claim was lost before the signal could be given.
    public func signalStreamed(_ claim: Claim) async throws -> Bool {
        let rows = try await client.execute(
            """
            UPDATE \(table)
            SET end_ins_inkafka_time = clock_timestamp(), ins_inkafka_status = '\(StreamStatus.done)',
                periodic_update_time = clock_timestamp()
            WHERE id = $1 AND occupied_by_process = $2 AND ins_inkafka_status IS NULL
            """,
            [String(claim.trackingID), claim.migrationID.rawValue]
        )
        return rows.affectedRows == 1
    }

    /// Why `claim` no longer holds its row, as the row now stands.
    /// - Returns: `nil` when the claim still holds it.
    public func whyLost(_ claim: Claim) async throws -> LostClaim? {
        LostClaim(claim: claim, row: try await row(id: claim.trackingID))
    }

    /// Marks a claimed row failed and frees its lease, so that an explicit retry can claim it.
    /// Does nothing when the claim is no longer ours.
    public func signalFailed(_ claim: Claim) async throws {
        try await client.execute(
            """
            UPDATE \(table) SET ins_inkafka_status = '\(StreamStatus.failed)', periodic_update_time = NULL
            WHERE id = $1 AND occupied_by_process = $2 AND ins_inkafka_status IS NULL
            """,
            [String(claim.trackingID), claim.migrationID.rawValue]
        )
    }
}

extension HandshakeTable {
    /// Gives a claim back without a verdict (the process is shutting down): the lease is cleared,
    /// so the next claimer takes the row over at once instead of waiting for it to expire.
    public func release(_ claim: Claim) async throws {
        try await client.execute(
            """
            UPDATE \(table) SET periodic_update_time = NULL
            WHERE id = $1 AND occupied_by_process = $2 AND ins_inkafka_status IS NULL
            """,
            [String(claim.trackingID), claim.migrationID.rawValue]
        )
    }
}
