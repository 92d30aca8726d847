import Config
import Kafka
import Logging

/// A Kafka-protocol broker for one test: librdkafka's mock cluster on 127.0.0.1, reached over
/// TCP like any broker, with the configured topics created.
public final class EmbeddedBroker: Sendable {
    public let cluster: KafkaMockCluster

    public init(partitions: Int32 = 4, brokers: Int = 1, topics: [String] = KafkaOptions.Topics().all) throws {
        cluster = try KafkaMockCluster(brokers: brokers, logger: Logger(label: "test.broker"))
        for topic in topics {
            try cluster.createTopic(topic, partitions: partitions)
        }
    }

    public var bootstrapServers: String { cluster.bootstrapServers }

    /// Every message on `topic`, read from the beginning up to the current end.
    public func messages(on topic: String) throws -> [KafkaMessage] {
        try KafkaTopicSnapshot.read(
            bootstrapServers: bootstrapServers, topic: topic, logger: Logger(label: "test.reader"),
            timeout: .seconds(30))
    }

    public func close() { cluster.close() }
}
