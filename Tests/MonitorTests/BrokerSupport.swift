import Config
import IntegrationSupport
import Kafka
import Logging

/// Producing and committing by hand, to put a group exactly where a test needs it.
struct GroupDriver {
    let bootstrapServers: String
    let logger: Logger

    init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
        var logger = Logger(label: "test.monitor")
        logger.logLevel = .error
        self.logger = logger
    }

    /// Sends `count` messages of `size` bytes to one partition and waits until all are acknowledged.
    func produce(topic: String, partition: Int32, count: Int, size: Int = 16) async throws {
        let producer = try KafkaProducer(
            properties: ["bootstrap.servers": bootstrapServers, "linger.ms": "5"], logger: logger)
        let tag = UInt64.random(in: 1 ... .max)
        let value = [UInt8](repeating: 0x61, count: size)
        for _ in 0..<count {
            try producer.send(topic: topic, partition: partition, key: nil, value: value, tag: tag)
        }
        let tally = await producer.awaitDelivery(tag: tag, expected: count, timeout: .seconds(60))
        producer.close(flushTimeout: .seconds(5))
        guard tally.acknowledged == count else {
            throw TestSupportError("only \(tally.acknowledged) of \(count) messages were acknowledged")
        }
    }

    /// Commits offsets for `group` as its consumer would (the next offset to read per partition).
    func commit(group: String, topic: String, _ offsets: [Int32: Int64]) throws {
        let consumer = try KafkaConsumer(
            properties: ["bootstrap.servers": bootstrapServers, "group.id": group], logger: logger)
        defer { consumer.close() }
        try consumer.commit(offsets.map { TopicPartitionOffset(topic: topic, partition: $0.key, offset: $0.value) })
    }
}
