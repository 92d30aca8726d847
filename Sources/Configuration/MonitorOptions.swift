/// How the service watches the consumer groups' lag and decides when a migration is complete.
///
/// The lag is judged over a window of fresh checks, never from one reading: a daily burst makes a
/// single subtraction look alarming at the start and fine long after a consumer died.
public struct MonitorOptions: Sendable, Hashable {
    /// How often end offsets and committed offsets are fetched from the broker.
    public var interval: ConfigDuration = .seconds(2)
    /// How long lag may sit with no committed offset moving before it counts as STOPPED (for the
    /// whole group) or STALLED (for a partition while the rest of the group moves on).
    public var stalledAfter: ConfigDuration = .seconds(60)
    /// How much lag history is kept for the dashboard's chart and for the evaluation.
    public var history: ConfigDuration = .seconds(600)
    /// Consumer groups on the `BOI` topic whose lag is watched too (search indexing and the like).
    public var downstreamGroups: [String] = []

    public init() {}
}
