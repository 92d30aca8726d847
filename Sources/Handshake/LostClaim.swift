import Domain

/// Why a claim no longer holds its `process_tracking` row.
///
/// A lease renewal or the done-signal that finds the row changed only knows that the claim is
/// gone. The operator needs to know why: another instance took the row over after this one
/// stalled, or the service itself failed the day while it streamed (the lag watch does so when
/// the broker dropped records before they were consumed), or the row was deleted.
public enum LostClaim: Sendable, Hashable, CustomStringConvertible {
    /// The row was deleted.
    case rowDeleted
    /// Another claim holds the row: its lease had expired, or the row was cleared by hand.
    case takenOver(by: String?)
    /// The row is still this claim's but has a verdict: `FAILED` (another part of the service
    /// failed the migration; its journal entry says why) or, should it happen, `DONE`.
    case givenVerdict(String)

    /// Compares a claim with its row as the database now has it.
    /// - Returns: `nil` when the claim still holds the row.
    public init?(claim: Claim, row: TrackingRow?) {
        guard let row else {
            self = .rowDeleted
            return
        }
        if row.occupiedByProcess != claim.migrationID.rawValue {
            self = .takenOver(by: row.occupiedByProcess)
        } else if let status = row.insInKafkaStatus {
            self = .givenVerdict(status)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .rowDeleted:
            "the process_tracking row was deleted"
        case .takenOver(let holder?):
            "another instance took the row over (migration \(holder)) after this one's lease expired"
        case .takenOver(nil):
            "the row's claim was cleared (occupied_by_process is empty)"
        case .givenVerdict(let status) where status == StreamStatus.failed:
            "the row was marked FAILED while it streamed (the lag watch does so when the broker "
                + "dropped records before they were consumed); the migration's journal entry says why"
        case .givenVerdict(let status):
            "the row's ins_inkafka_status was set to \(status) by someone else"
        }
    }
}
