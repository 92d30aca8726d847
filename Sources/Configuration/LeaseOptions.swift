/// The lease on a claimed `process_tracking` row: the claimer refreshes `periodic_update_time`
/// while it works; a row whose lease is older than ``duration`` may be taken over by another
/// instance (its claimer is presumed dead).
public struct LeaseOptions: Sendable, Hashable {
    public var duration: ConfigDuration = .seconds(60)
    /// How often the lease is refreshed; `nil` means a third of ``duration``.
    public var renewEvery: ConfigDuration?

    public init() {}

    /// ``renewEvery``, or a third of ``duration`` when it is not set.
    public var effectiveRenewInterval: ConfigDuration {
        renewEvery ?? ConfigDuration(duration.duration / 3)
    }
}
