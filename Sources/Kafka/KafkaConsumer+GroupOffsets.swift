import CRdKafka

/// Where one consumer group stands on one partition, read fresh from the broker.
public struct PartitionOffsets: Hashable, Sendable, Codable {
    public var partition: Int32
    /// The oldest offset the broker still holds; retention moves it forward.
    public var logStart: Int64
    /// The high watermark: the offset the next message will get.
    public var end: Int64
    /// The group's committed offset (the next one it will read); `nil` when it never committed.
    public var committed: Int64?

    public init(partition: Int32, logStart: Int64, end: Int64, committed: Int64?) {
        self.partition = partition
        self.logStart = logStart
        self.end = end
        self.committed = committed
    }
}

extension KafkaConsumer {
    /// The committed offsets of this consumer's group (`group.id`) on every partition of `topic`,
    /// with each partition's log start and end asked from its leader right now (ListOffsets), never
    /// taken from what a fetching consumer cached. The consumer does not join the group.
    /// - Throws: ``KafkaError`` when the broker does not answer in time or the topic is unknown.
    public func groupOffsets(topic: String, timeout: Duration) throws -> [PartitionOffsets] {
        let count = try partitionCount(topic: topic, timeout: timeout)
        let committed = try self.committed(
            (0..<count).map { TopicPartition(topic: topic, partition: $0) }, timeout: timeout)
        let byPartition = Dictionary(committed.map { ($0.partition, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let watermarks = try self.watermarks(topic: topic, partitions: Array(0..<count), timeout: timeout)
        return try (0..<count).map { partition in
            guard let (low, high) = watermarks[partition] else {
                throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, message: "no offsets for \(topic)[\(partition)]")
            }
            let offset = byPartition[partition].flatMap { $0 >= 0 ? $0 : nil }
            return PartitionOffsets(partition: partition, logStart: low, end: high, committed: offset)
        }
    }
}
