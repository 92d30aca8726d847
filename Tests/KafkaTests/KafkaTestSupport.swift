import Foundation
import Kafka
import Logging
import Synchronization

/// Shared set-up for the Kafka bridge tests: every test starts its own mock
/// cluster and uses fresh topics, so tests can run in parallel.
enum KafkaTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .error
        return logger
    }()

    /// A topic name no other test uses.
    static func uniqueTopic(_ prefix: String = "topic") -> String {
        "\(prefix)-\(UInt32.random(in: 0 ... .max))"
    }

    /// A one-broker mock cluster with one topic.
    static func cluster(topic: String, partitions: Int32, brokers: Int = 1) throws -> KafkaMockCluster {
        let cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
        try cluster.createTopic(topic, partitions: partitions)
        return cluster
    }

    static func producer(_ cluster: KafkaMockCluster, _ extra: [String: String] = [:]) throws -> KafkaProducer {
        var properties = ["bootstrap.servers": cluster.bootstrapServers]
        properties.merge(extra) { _, given in given }
        return try KafkaProducer(properties: properties, logger: logger)
    }

    static func consumer(_ cluster: KafkaMockCluster, _ extra: [String: String] = [:]) throws -> KafkaConsumer {
        var properties = ["bootstrap.servers": cluster.bootstrapServers]
        properties.merge(extra) { _, given in given }
        return try KafkaConsumer(properties: properties, logger: logger)
    }

    static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    static func text(_ bytes: [UInt8]?) -> String? {
        bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sends `count` messages keyed `key-(i % keys)` with value `value-i` and waits for their delivery.
    static func produceKeyed(
        _ producer: KafkaProducer,
        topic: String,
        count: Int,
        keys: Int,
        tag: UInt64
    ) async throws -> DeliveryTally {
        for index in 0 ..< count {
            try producer.send(topic: topic, key: bytes("key-\(index % keys)"), value: bytes("value-\(index)"), tag: tag)
        }
        return await producer.awaitDelivery(tag: tag, expected: count, timeout: .seconds(20))
    }

    /// Runs blocking bridge calls (poll, commit, close…) on a thread of their
    /// own, off the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.start()
        }
    }

    /// Closes the clients, then the cluster, on a thread of their own: these
    /// calls block (destroying a mock cluster that served connections takes
    /// about a second) and must not stall the cooperative pool.
    static func shutDown(
        _ cluster: KafkaMockCluster,
        producers: [KafkaProducer] = [],
        consumers: [KafkaConsumer] = []
    ) async {
        _ = try? await onThread {
            for consumer in consumers {
                consumer.close()
            }
            for producer in producers {
                producer.close(flushTimeout: .seconds(5))
            }
            cluster.close()
        }
    }

    /// Polls until `count` messages were received or `timeout` elapsed.
    static func consume(
        _ consumer: KafkaConsumer,
        count: Int,
        timeout: Duration = .seconds(20)
    ) async throws -> (messages: [KafkaMessage], assigned: [TopicPartition]) {
        try await onThread {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            var messages: [KafkaMessage] = []
            var assigned: [TopicPartition] = []
            while messages.count < count, clock.now < deadline {
                let result = try consumer.poll(max: 10_000, timeout: .milliseconds(200))
                messages.append(contentsOf: result.messages)
                assigned.append(contentsOf: result.assigned)
            }
            return (messages, assigned)
        }
    }
}
