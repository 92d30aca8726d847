@testable import Consumer
import Config
import DemoData
import Domain
import Foundation
import IntegrationSupport
import Journal
import Kafka
import Logging
import Postgres
import PostgresStore
import Starter
import Store
import Testing

@Suite("Consumer: redelivery and rebalance", .serialized, .enabled(if: TestDatabase.isAvailable))
struct RedeliveryTests {
    @Test(.timeLimit(.minutes(2)))
    func reprocessingFromTheStartChangesNothingAndPublishesNothing() async throws {
        try await PipelineFixture.with(partitions: 3) { fixture in
            try await fixture.insertCatalog()
            try await fixture.source.generate(people: 300)
            try await fixture.source.signal(.day1)
            let first = try await fixture.migrate(.day1)
            let dump = try await fixture.storeDump()
            let events = try fixture.events().count
            // Every message delivered again, as after a lost commit or a restored broker.
            let messages = try fixture.broker.messages(on: fixture.configuration.kafka.topics.inMigration)
            let runtime = try fixture.consumer()
            let outcome = try await runtime.consumer.processor.process(messages)
            await runtime.close()
            #expect(outcome.records == 0)
            #expect(outcome.skipped == messages.count)
            #expect(outcome.outbox.isEmpty)
            #expect(Set(outcome.offsets.map(\.partition)) == [0, 1, 2], "Kafka still gets the batch's end")
            #expect(try await fixture.storeDump() == dump)
            #expect(try fixture.events().count == events)
            #expect(try await fixture.store.consumeReport(first.stream.migrationID) == first.consume)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func twoConsumersShareThePartitionsThroughARebalance() async throws {
        try await PipelineFixture.with(partitions: 6) { fixture in
            try await fixture.insertCatalog()
            try await fixture.source.generate(people: 4_000)
            try await fixture.source.signal(.day1)
            let stream = try #require(try await fixture.starter.starter.runUntilIdle().first)
            let first = try fixture.consumer(batchSize: 200)
            let second = try fixture.consumer(batchSize: 200)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await first.consumer.run(untilIdle: true) }
                // The second joins mid-run: the group rebalances while batches are in flight.
                try await Task.sleep(for: .seconds(2))
                group.addTask { try await second.consumer.run(untilIdle: true) }
                try await group.waitForAll()
            }
            await first.close()
            await second.close()
            let report = try await fixture.store.consumeReport(stream.migrationID)
            #expect(report.total.records == stream.recordsStreamed, "every record applied exactly once")
            #expect(report.total.created + report.total.merged == stream.recordsStreamed)
            #expect(report.dangling?.isEmpty == true)
            let counts = try await fixture.source.client.execute(
                "SELECT count(*) AS n FROM inmigration.boi_instance")
            #expect(counts.first?.int64("n") == stream.recordsStreamed)
            let events = try fixture.events()
            #expect(Int64(Set(events.map(\.eventId)).count) == report.total.boiEvents)
            let parked = try await fixture.source.client.execute("SELECT count(*) AS n FROM inmigration.boi_reference")
            #expect(parked.first?.int64("n") == 0)
        }
    }
}
