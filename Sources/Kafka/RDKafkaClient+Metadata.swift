import CRdKafka

extension RDKafkaClient {
    /// Number of partitions of `topic`, from a fresh Metadata request.
    ///
    /// Asks for all topics rather than just `topic`: a request naming a topic
    /// makes brokers with topic auto-creation (the mock cluster among them)
    /// create it, and a count must not have that side effect.
    /// - Throws: `KafkaError` on timeout, for an unknown topic, or when closed.
    func partitionCount(topic: String, timeout: Duration) throws -> Int32 {
        try withHandle { handle in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle, 1, nil, &metadata, timeout.rdKafkaMilliseconds)
            defer {
                if let metadata { rd_kafka_metadata_destroy(metadata) }
            }
            if let error = KafkaError.check(err) { throw error }
            let unknown = KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, message: "topic \"\(topic)\" does not exist")
            guard let metadata, metadata.pointee.topic_cnt > 0, let topics = metadata.pointee.topics else {
                throw unknown
            }
            let entries = UnsafeBufferPointer(start: topics, count: Int(metadata.pointee.topic_cnt))
            guard let entry = entries.first(where: { $0.topic.map { String(cString: $0) } == topic }) else {
                throw unknown
            }
            if let error = KafkaError.check(entry.err, message: "topic \"\(topic)\": \(String(cString: rd_kafka_err2str(entry.err)))") {
                throw error
            }
            return entry.partition_cnt
        }
    }

    /// Low and high watermark of a partition, asked from its leader.
    /// - Throws: `KafkaError` on timeout, for an unknown partition, or when closed.
    func watermarks(topic: String, partition: Int32, timeout: Duration) throws -> (low: Int64, high: Int64) {
        try withHandle { handle in
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeout.rdKafkaMilliseconds)
            if let error = KafkaError.check(err) { throw error }
            return (low, high)
        }
    }
}

extension RDKafkaClient {
    /// Low and high watermarks of several partitions of `topic`: one ListOffsets request per
    /// leader for each end, where ``watermarks(topic:partition:timeout:)`` makes two requests
    /// per partition. A consumer's requests wait behind its long-polling fetch on the same
    /// connection (up to `fetch.wait.max.ms` each), so across a hundred partitions the
    /// difference is seconds.
    /// - Throws: `KafkaError` on timeout, for an unknown partition, or when closed.
    func watermarks(topic: String, partitions: [Int32], timeout: Duration) throws -> [Int32: (low: Int64, high: Int64)] {
        guard !partitions.isEmpty else { return [:] }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        // The "timestamps" -2 and -1 ask for the earliest and the latest offset.
        let lows = try offsets(topic: topic, partitions: partitions, at: Int64(RD_KAFKA_OFFSET_BEGINNING), timeout: timeout)
        let highs = try offsets(topic: topic, partitions: partitions, at: Int64(RD_KAFKA_OFFSET_END), timeout: deadline - clock.now)
        var result: [Int32: (low: Int64, high: Int64)] = [:]
        for partition in partitions {
            guard let low = lows[partition], let high = highs[partition] else {
                throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, message: "no offsets for \(topic)[\(partition)]")
            }
            result[partition] = (low, high)
        }
        return result
    }

    /// `rd_kafka_offsets_for_times` for one "timestamp" across partitions.
    private func offsets(topic: String, partitions: [Int32], at timestamp: Int64, timeout: Duration) throws -> [Int32: Int64] {
        let list = RDKafkaTopicPartitionList(
            partitions.map { TopicPartitionOffset(topic: topic, partition: $0, offset: timestamp) })
        return try withHandle { handle in
            let err = list.withPointer { rd_kafka_offsets_for_times(handle, $0, timeout.rdKafkaMilliseconds) }
            if let error = KafkaError.check(err) { throw error }
            var offsets: [Int32: Int64] = [:]
            for entry in list.entries {
                if let error = entry.error { throw error }
                offsets[entry.position.partition] = entry.position.offset
            }
            return offsets
        }
    }
}

extension Duration {
    /// This duration as librdkafka's `int timeout_ms`, rounded up and clamped to `0...Int32.max`.
    var rdKafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        let millis = Double(seconds) * 1000 + (Double(attoseconds) / 1e15).rounded(.up)
        return Int32(clamping: Int64(min(millis, Double(Int32.max))))
    }
}
