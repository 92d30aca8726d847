import Consumer
import Domain
import IntegrationSupport
import Kafka
import PostgresStore
import Starter
import Store
import Testing

/// Offset commits the broker refuses, as it does while the group rebalances.
@Suite("Consumer: refused offset commits", .serialized, .enabled(if: TestDatabase.isAvailable))
struct CommitFailureTests {
    /// Each refusal is logged and its offsets go with the next commit: the consumer neither stops
    /// nor leaves the group's lag above 0, and every record is stored once.
    @Test(.timeLimit(.minutes(2)))
    func refusedCommitsAreTakenAlongByTheNext() async throws {
        try await PipelineFixture.with(partitions: 2) { fixture in
            try await fixture.insertCatalog()
            try await fixture.source.generate(people: 100)
            try await fixture.source.signal(.day1)
            let stream = try #require(try await fixture.starter.starter.runUntilIdle(operDate: .day1).first)
            // OffsetCommit (API key 8) refused with REBALANCE_IN_PROGRESS (27), three times.
            try fixture.broker.cluster.failNextRequests(apiKey: 8, with: [27, 27, 27])
            try await fixture.consume(batchSize: 50)
            let report = try await fixture.store.consumeReport(stream.migrationID)
            #expect(report.tables["in_person"]?.created == 100)
            #expect(report.total.records == stream.recordsStreamed)
            let runtime = try fixture.consumer()
            let idle = try await runtime.consumer.isIdle()
            await runtime.close()
            #expect(idle, "the group's committed offsets reached the end of every partition")
        }
    }
}
