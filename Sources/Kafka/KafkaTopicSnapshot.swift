import CRdKafka
import Logging

/// Reads a whole topic as it is right now: every partition from its log start up to the high
/// watermark taken at the start. For checks that compare what a topic holds with what was sent
/// (the demo's summary, the tests, reconciliation), not for consuming.
public enum KafkaTopicSnapshot {
    /// - Returns: the messages, partition by partition, in offset order.
    /// - Throws: ``KafkaError`` when the broker cannot be reached or the end is not reached in time.
    public static func read(
        bootstrapServers: String, topic: String, logger: Logger, timeout: Duration
    ) throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(
            properties: ["bootstrap.servers": bootstrapServers, "group.id": "inmigration-snapshot", "enable.partition.eof": "false"],
            logger: logger)
        defer { consumer.close() }
        let partitions = try consumer.partitionCount(topic: topic, timeout: timeout)
        var ends: [Int32: Int64] = [:]
        var starts: [TopicPartitionOffset] = []
        for partition in 0..<partitions {
            let (low, high) = try consumer.watermarks(topic: topic, partition: partition, timeout: timeout)
            if high > low {
                ends[partition] = high
                starts.append(TopicPartitionOffset(topic: topic, partition: partition, offset: low))
            }
        }
        guard !starts.isEmpty else { return [] }
        try consumer.assign(starts)
        var messages: [KafkaMessage] = []
        var remaining = ends
        let deadline = ContinuousClock.now + timeout
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    message: "reading \(topic): partitions \(remaining.keys.sorted()) did not reach their end in time")
            }
            for message in try consumer.poll(max: 10_000, timeout: .milliseconds(200)).messages {
                guard let end = remaining[message.partition], message.offset < end else { continue }
                messages.append(message)
                if message.offset + 1 >= end { remaining[message.partition] = nil }
            }
        }
        return messages.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}
