import Config
import Consumer
import Domain
import IntegrationSupport
import Kafka
import PostgresStore
import Store
import Synchronization
import Testing

/// `serve` rings the monitor when the consumer has caught up, so that safe to clear is written
/// then: once per stretch of work that ends in an empty poll, never while it only idles.
@Suite("Consumer: caught up", .serialized, .enabled(if: TestDatabase.isAvailable))
struct CaughtUpTests {
    @Test(.timeLimit(.minutes(2)))
    func caughtUpIsCalledOnceWhenAppliedBatchesEndInAnEmptyPoll() async throws {
        try await PipelineFixture.with(partitions: 2) { fixture in
            let topic = fixture.configuration.kafka.topics.inMigration
            let producer = try KafkaProducer(
                properties: ["bootstrap.servers": fixture.broker.bootstrapServers], logger: fixture.logger)
            for index in 0..<20 {
                let value = LaneTests.value("P-\(index)", iin: "\(index)")
                try producer.send(topic: topic, partition: Int32(index % 2), key: nil, value: value, tag: 1)
            }
            #expect(await producer.awaitDelivery(tag: 1, expected: 20, timeout: .seconds(30)).acknowledged == 20)
            producer.close(flushTimeout: .seconds(5))

            let rings = Atomic<Int>(0)
            let runtime = try fixture.consumer()
            do {
                try await runtime.consumer.run(untilIdle: true, caughtUp: { rings.add(1, ordering: .relaxed) })
                #expect(rings.load(ordering: .relaxed) == 1)
                // Nothing new: idling rings no more.
                try await runtime.consumer.run(untilIdle: true, caughtUp: { rings.add(1, ordering: .relaxed) })
                #expect(rings.load(ordering: .relaxed) == 1)
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
            let total = try await fixture.store.consumeReport(MigrationID(rawValue: "mig-lanes")).total
            #expect(total.created == 20)
        }
    }
}
