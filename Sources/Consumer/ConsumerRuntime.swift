import Config
import Kafka
import Logging
import Store

/// Part 2 wired from the configuration: a group member of `in_migration`, the outbox producer,
/// and the consumer over the given store. The CLI and the tests build it the same way.
public struct ConsumerRuntime: Sendable {
    public let consumer: InMigrationConsumer
    public let producer: KafkaProducer
    public let store: any BOIStore

    /// - Parameter store: an installed store (``BOIStore/install(mapping:)`` done) that runs
    ///   `configuration.consumer.lanes` transactions at once.
    public static func start(
        _ configuration: InMigrationConfiguration, store: any BOIStore, logger: Logger
    ) throws -> ConsumerRuntime {
        let kafkaConsumer = try KafkaConsumer(
            properties: try ConsumerSettings.properties(for: configuration), logger: logger)
        let producer = try KafkaProducer(
            properties: try ConsumerSettings.producerProperties(for: configuration), logger: logger)
        let consumer = InMigrationConsumer(
            configuration: configuration, store: store, consumer: kafkaConsumer, producer: producer, logger: logger)
        return ConsumerRuntime(consumer: consumer, producer: producer, store: store)
    }

    /// Leaves the group and flushes the producer.
    public func close() async {
        await consumer.close()
        producer.close(flushTimeout: .seconds(10))
    }
}
