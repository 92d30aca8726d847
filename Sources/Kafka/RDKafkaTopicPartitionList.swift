import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t` built from Swift values, and
/// reads such lists back into Swift values.
///
/// Used only inside one call on one thread; the pointer is lent out through
/// `withPointer` and must not escape it.
final class RDKafkaTopicPartitionList {
    private let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// A list of partitions at the given offsets.
    init(_ entries: [TopicPartitionOffset]) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(entries.count, 1)))
        for entry in entries {
            let element = rd_kafka_topic_partition_list_add(pointer, entry.topic, entry.partition)
            element?.pointee.offset = entry.offset
        }
    }

    /// A list of partitions with an unset (`RD_KAFKA_OFFSET_INVALID`) offset.
    convenience init(_ partitions: [TopicPartition]) {
        self.init(partitions.map {
            TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: Int64(RD_KAFKA_OFFSET_INVALID))
        })
    }

    /// A subscription list: whole topics (`RD_KAFKA_PARTITION_UA`).
    convenience init(topics: [String]) {
        self.init(topics.map {
            TopicPartitionOffset(topic: $0, partition: RD_KAFKA_PARTITION_UA, offset: Int64(RD_KAFKA_OFFSET_INVALID))
        })
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// Lends the list to `body`. The pointer must not escape `body`.
    func withPointer<T>(_ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws -> T) rethrows -> T {
        try body(pointer)
    }

    /// The entries with their current offsets and per-entry errors.
    var entries: [(position: TopicPartitionOffset, error: KafkaError?)] {
        Self.read(pointer)
    }

    /// Reads a list owned by librdkafka (e.g. from a rebalance event) without taking ownership.
    static func read(
        _ list: UnsafePointer<rd_kafka_topic_partition_list_t>?
    ) -> [(position: TopicPartitionOffset, error: KafkaError?)] {
        guard let list, list.pointee.cnt > 0, let elements = list.pointee.elems else { return [] }
        return UnsafeBufferPointer(start: elements, count: Int(list.pointee.cnt)).map { element in
            let position = TopicPartitionOffset(
                topic: element.topic.map { String(cString: $0) } ?? "",
                partition: element.partition,
                offset: element.offset
            )
            return (position, KafkaError.check(element.err))
        }
    }
}
