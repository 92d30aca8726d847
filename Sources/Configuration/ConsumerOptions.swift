/// How the consumer of `IN_MIGRATION` spreads its work (YAML section `consumer`; the librdkafka
/// properties of the consumer are `kafka.consumer`).
public struct ConsumerOptions: Sendable, Hashable {
    /// How many transactions are applied to the store at once, each on its own connection, over
    /// disjoint sets of partitions. One transaction at a time leaves a core idle while the
    /// database works and the other way round; two keep both busy on a 2-core machine. 1 applies
    /// one transaction at a time.
    public var lanes = 2
    /// Messages polled at once; each lane applies up to `batchSize / lanes` per transaction.
    public var batchSize = 5_000

    public init() {}
}
