import CRdKafka

extension KafkaConsumer {
    /// Commits explicit offsets synchronously for this consumer's group.
    /// - Parameter offsets: per partition, the next offset to read.
    /// - Throws: `KafkaError` when the commit failed (for any partition), or after `close`.
    public func commit(_ offsets: [TopicPartitionOffset]) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        try client.withHandle { handle in
            let err = list.withPointer { rd_kafka_commit(handle, $0, 0) }
            if let error = KafkaError.check(err) { throw error }
            if let failed = list.entries.first(where: { $0.error != nil }), let error = failed.error {
                throw KafkaError(
                    code: error.code,
                    codeName: error.codeName,
                    message: "commit of \(failed.position.topic)[\(failed.position.partition)]: \(error.message)",
                    isRetriable: error.isRetriable
                )
            }
        }
    }

    /// Committed offsets of this consumer's group; `offsetInvalid` (-1001) where none was committed.
    /// - Throws: `KafkaError` on timeout, per-partition errors, or after `close`.
    public func committed(_ partitions: [TopicPartition], timeout: Duration) throws -> [TopicPartitionOffset] {
        guard !partitions.isEmpty else { return [] }
        let list = RDKafkaTopicPartitionList(partitions)
        return try client.withHandle { handle in
            let err = list.withPointer { rd_kafka_committed(handle, $0, timeout.rdKafkaMilliseconds) }
            if let error = KafkaError.check(err) { throw error }
            return try list.entries.map { entry in
                if let error = entry.error { throw error }
                return entry.position
            }
        }
    }

    /// Low and high watermark of a partition, fresh from its leader.
    /// - Throws: `KafkaError` on timeout, for an unknown partition, or after `close`.
    public func watermarks(topic: String, partition: Int32, timeout: Duration) throws -> (low: Int64, high: Int64) {
        try client.watermarks(topic: topic, partition: partition, timeout: timeout)
    }

    /// Low and high watermarks of several partitions, fresh from their leaders, in two requests
    /// per leader (see `RDKafkaClient.watermarks(topic:partitions:timeout:)`).
    /// - Throws: `KafkaError` on timeout, for an unknown partition, or after `close`.
    public func watermarks(topic: String, partitions: [Int32], timeout: Duration) throws -> [Int32: (low: Int64, high: Int64)] {
        try client.watermarks(topic: topic, partitions: partitions, timeout: timeout)
    }

    /// Number of partitions of a topic, from fresh metadata.
    /// - Throws: `KafkaError` on timeout, for an unknown topic, or after `close`.
    public func partitionCount(topic: String, timeout: Duration) throws -> Int32 {
        try client.partitionCount(topic: topic, timeout: timeout)
    }

    /// The partitions currently assigned to this consumer.
    /// - Throws: `KafkaError`, or after `close`.
    public func assignment() throws -> [TopicPartition] {
        try client.withHandle { handle in
            var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            let err = rd_kafka_assignment(handle, &list)
            defer {
                if let list { rd_kafka_topic_partition_list_destroy(list) }
            }
            if let error = KafkaError.check(err) { throw error }
            return RDKafkaTopicPartitionList.read(list).map(\.position.topicPartition)
        }
    }
}
