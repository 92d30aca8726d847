import CRdKafka

extension KafkaConsumer {
    /// The high watermark of a partition as the last fetch response reported it: no request is
    /// made. `nil` before any fetch of the partition.
    public func cachedHighWatermark(topic: String, partition: Int32) -> Int64? {
        try? client.withHandle { handle in
            var low: Int64 = -1
            var high: Int64 = -1
            let err = rd_kafka_get_watermark_offsets(handle, topic, partition, &low, &high)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
            return high
        } ?? nil
    }
}
