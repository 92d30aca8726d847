/// Offsets of a partition the consumer never saw: the next message it got lay beyond the
/// position it had stored. `IN_MIGRATION` is neither compacted nor transactional, so its offsets
/// have no holes of their own: a gap means the broker's retention dropped messages before they
/// were consumed (and the consumer, reset to the log start, went on). It is recorded with the
/// batch that found it and reported as data loss, never skipped in silence.
public struct OffsetGap: Sendable, Hashable, Codable {
    public var group: String
    public var topic: String
    public var partition: Int32
    /// The first offset missed.
    public var from: Int64
    /// The offset the consumer got instead (exclusive end of the gap).
    public var to: Int64

    public init(group: String, topic: String, partition: Int32, from: Int64, to: Int64) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.from = from
        self.to = to
    }
}
