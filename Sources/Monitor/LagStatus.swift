/// The verdict on a consumer group's lag, worst last: a number alone does not tell an operator
/// whether to wait, restart a consumer, or re-run a migration.
public enum LagStatus: String, Sendable, Codable, Comparable, CaseIterable {
    /// Caught up, or moving.
    case ok = "OK"
    /// One partition's committed offset has not moved for the stall window while the group moves
    /// on elsewhere (a stuck message, a partition nobody owns).
    case stalled = "STALLED"
    /// No committed offset of the group moved for the stall window while there is lag: no
    /// consumer is working.
    case stopped = "STOPPED"
    /// The lag cannot be judged: the broker did not answer, or the offsets make no sense.
    case error = "ERROR"
    /// Retention removed messages the group never consumed.
    case dataLoss = "DATA_LOSS"

    public static func < (lhs: LagStatus, rhs: LagStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
