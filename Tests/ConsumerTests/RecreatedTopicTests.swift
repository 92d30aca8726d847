@testable import Consumer
import Config
import Domain
import IntegrationSupport
import Kafka
import Logging
import PostgresStore
import Starter
import Store
import Testing

@Suite("Consumer: a recreated topic", .serialized, .enabled(if: TestDatabase.isAvailable))
struct RecreatedTopicTests {
    /// The store's positions point past a new, shorter topic: the consumer must not take the new
    /// messages for ones it applied already.
    @Test(.timeLimit(.minutes(2)))
    func stopsInsteadOfSkippingTheNewTopicsMessages() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            try await fixture.source.generate(people: 20)
            try await fixture.source.signal(OperDate(rawValue: "2026-11-20")!)
            let stream = try #require(try await fixture.starter.starter.runUntilIdle().first)
            try await fixture.consume()
            let topic = fixture.configuration.kafka.topics.inMigration
            let before = try await fixture.store.positions(group: fixture.configuration.kafka.group, topic: topic)
            #expect(before[0] == stream.recordsStreamed + 1, "every record and the marker were consumed")

            // The same topic on a new broker, with three messages.
            let recreated = try EmbeddedBroker(partitions: 1)
            defer { recreated.close() }
            let producer = try KafkaProducer(properties: ["bootstrap.servers": recreated.bootstrapServers], logger: fixture.logger)
            for _ in 0..<3 {
                try producer.send(topic: topic, partition: 0, key: nil, value: Array("{}".utf8), tag: 1)
            }
            #expect(await producer.awaitDelivery(tag: 1, expected: 3, timeout: .seconds(30)).acknowledged == 3)
            producer.close(flushTimeout: .seconds(5))

            var configuration = fixture.configuration
            configuration.kafka.bootstrapServers = recreated.bootstrapServers
            let runtime = try ConsumerRuntime.start(configuration, store: fixture.store, logger: fixture.logger)
            let error = await #expect(throws: RecreatedTopicError.self) { try await runtime.consumer.run(untilIdle: true) }
            await runtime.close()
            #expect(error?.partition == 0)
            #expect(error?.end == 3)
            #expect(error?.description.contains("the topic was recreated") == true)
            #expect(try await fixture.store.positions(group: fixture.configuration.kafka.group, topic: topic) == before)
        }
    }
}
