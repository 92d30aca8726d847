import Config
import Domain
import Foundation
import Handshake
import Journal
import IntegrationSupport
import Kafka
import Monitor
import Postgres
import PostgresStore
import Starter
import Store
import Testing

/// When a migration becomes safe to clear, against a real PostgreSQL and broker.
@Suite("Completion and the safe-to-clear signal", .serialized, .enabled(if: TestDatabase.isAvailable))
struct CompletionTests {
    @Test(.timeLimit(.minutes(2)))
    func notBeforeTheMarkersAreConsumedNorWhileLagRemains() async throws {
        try await PipelineFixture.with { fixture in
            try await fixture.source.generate(people: 40)
            let trackingID = try await fixture.source.signal(.day1)
            let stream = try await fixture.stream(.day1)
            // Streamed, nothing consumed: no completion however often the monitor looks.
            for _ in 0..<3 {
                let round = try await fixture.monitor.monitor.round()
                #expect(round.outcome.completed.isEmpty)
                #expect(round.unfinished == 1)
            }
            try await fixture.consume()
            // Every marker consumed, but one more message arrived after them: the lag is not 0.
            try await GroupDriver(bootstrapServers: fixture.broker.bootstrapServers).produce(
                topic: fixture.configuration.kafka.topics.inMigration, partition: 0, count: 1)
            let waiting = try await fixture.monitor.monitor.round()
            #expect(waiting.outcome.completed.isEmpty)
            #expect(waiting.report.groups.first?.lag == 1)
            #expect(try await fixture.journalRow(stream.migrationID)["status"] == "STREAMED")
            #expect(try await fixture.trackingRow(trackingID)["safe_to_clear_at"] == nil)

            try await fixture.consume()
            let done = try await fixture.monitor.monitor.round()
            #expect(done.outcome.completed == [stream.migrationID])
            #expect(done.isDone(group: fixture.configuration.kafka.group, topic: fixture.configuration.kafka.topics.inMigration))
            let journal = try await fixture.journalRow(stream.migrationID)
            let tracking = try await fixture.trackingRow(trackingID)
            #expect(journal["status"] == "COMPLETE")
            #expect(journal["signalled_at"] != nil)
            #expect(tracking["safe_to_clear_at"] != nil)
            #expect(tracking["safe_to_clear_at"] == journal["completed_at"])
            #expect(tracking.int64("records_streamed") == stream.recordsStreamed)
            // The extra message belongs to no migration: it is not counted in this one.
            #expect(tracking.int64("records_consumed") == stream.recordsStreamed)
            #expect(tracking.int64("records_rejected") == 1)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func writtenExactlyOnceAfterTheLastRecordIsStoredWhateverTheNumberOfWatchers() async throws {
        try await PipelineFixture.with(partitions: 4) { fixture in
            try await fixture.source.generate(people: 300)
            let trackingID = try await fixture.source.signal(.day1)
            let stream = try await fixture.stream(.day1)
            // A second service instance watches the same pipeline.
            let other = try await MonitorRuntime.start(fixture.configuration, store: fixture.store, logger: fixture.logger)
            let watchers = [fixture.monitor.monitor, other.monitor]
            let watching = Task {
                var completed: [MigrationID] = []
                while !Task.isCancelled {
                    for watcher in watchers {
                        if let round = try? await watcher.round() { completed += round.outcome.completed }
                    }
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return completed
            }
            try await fixture.consume()
            var tracking = try await fixture.trackingRow(trackingID)
            for _ in 0..<200 where tracking["safe_to_clear_at"] == nil {
                try await Task.sleep(for: .milliseconds(50))
                tracking = try await fixture.trackingRow(trackingID)
            }
            watching.cancel()
            let completed = await watching.value
            await other.close()
            #expect(completed == [stream.migrationID])
            let moment = try #require(tracking["safe_to_clear_at"])
            // Not before the consumer's last batch was stored.
            let lastBatch = try #require(
                try await fixture.source.client.execute(
                    "SELECT max(updated_at)::text AS at FROM inmigration.consumer_position").first?["at"])
            let order = try await fixture.source.client.execute(
                "SELECT $1::timestamptz >= $2::timestamptz AS after", [moment, lastBatch])
            #expect(order.first?.bool("after") == true, "safe_to_clear_at \(moment) precedes the last batch \(lastBatch)")
            let report = try await fixture.store.consumeReport(stream.migrationID)
            #expect(report.total.records == stream.recordsStreamed)
            #expect(tracking.int64("records_consumed") == stream.recordsStreamed)
            // Later rounds change nothing.
            _ = try await fixture.monitor.monitor.round()
            #expect(try await fixture.trackingRow(trackingID)["safe_to_clear_at"] == moment)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func dataLossFailsTheMigrationAndItsTrackingRow() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            try await fixture.source.generate(people: 20)
            let trackingID = try await fixture.source.signal(.day1)
            let stream = try await fixture.stream(.day1)
            let topic = fixture.configuration.kafka.topics.inMigration
            let driver = GroupDriver(bootstrapServers: fixture.broker.bootstrapServers)
            // The consumer got as far as offset 3; then retention drops the rest before it reads on.
            try driver.commit(group: fixture.configuration.kafka.group, topic: topic, [0: 3])
            try await driver.produce(topic: topic, partition: 0, count: 70, size: 100 * 1024)
            let round = try await fixture.monitor.monitor.round()
            #expect(round.report.status == .dataLoss)
            #expect(round.outcome.failed == [stream.migrationID])
            #expect(round.outcome.completed.isEmpty)
            let journal = try await fixture.journalRow(stream.migrationID)
            #expect(journal["status"] == "FAILED")
            #expect(journal["error"]?.hasPrefix("DATA LOSS: \(topic)[0] offsets 3..<") == true)
            let tracking = try await fixture.trackingRow(trackingID)
            #expect(tracking["ins_inkafka_status"] == "FAILED")
            #expect(tracking["safe_to_clear_at"] == nil)
            let errors = try await fixture.source.client.execute(
                "SELECT reason FROM inmigration.migration_error WHERE migration_id = $1 AND stage = 'consume'",
                [stream.migrationID.rawValue])
            #expect(errors.count == 1)
            #expect(errors.first?["reason"]?.contains("removed by the broker's retention") == true)
            // Consuming what is left never makes it look successful.
            try await fixture.consume()
            let after = try await fixture.monitor.monitor.round()
            #expect(after.outcome.completed.isEmpty)
            #expect(try await fixture.journalRow(stream.migrationID)["status"] == "FAILED")
            #expect(try await fixture.trackingRow(trackingID)["safe_to_clear_at"] == nil)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aGapTheConsumerFindsIsDataLossEvenAfterItMovedOn() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            let topic = fixture.configuration.kafka.topics.inMigration
            let driver = GroupDriver(bootstrapServers: fixture.broker.bootstrapServers)
            // The consumer has a stored position (5) before the migration is streamed.
            try await driver.produce(topic: topic, partition: 0, count: 5)
            try await fixture.consume()
            try await fixture.source.generate(people: 20)
            let trackingID = try await fixture.source.signal(.day1)
            let stream = try await fixture.stream(.day1)
            // Retention drops the migration before the consumer comes back; librdkafka resets the
            // consumer to the log start and it goes on as if nothing happened, and the group's lag
            // looks fine afterwards.
            try await driver.produce(topic: topic, partition: 0, count: 70, size: 100 * 1024)
            try await fixture.consume()
            let gaps = try await fixture.store.unreportedGaps()
            let gap = try #require(gaps.first)
            #expect(gaps.count == 1)
            #expect(gap.partition == 0 && gap.from == 5 && gap.to > 5 + stream.recordsStreamed)
            let round = try await fixture.monitor.monitor.round()
            #expect(round.report.status == .ok)
            #expect(round.outcome.failed == [stream.migrationID])
            let journal = try await fixture.journalRow(stream.migrationID)
            #expect(journal["status"] == "FAILED")
            #expect(journal["error"]?.hasPrefix("DATA LOSS: \(topic)[0] offsets 5..<\(gap.to)") == true)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "FAILED")
            #expect(try await fixture.store.unreportedGaps().isEmpty)
            #expect(try await fixture.monitor.monitor.round().outcome.failed.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aStreamingMigrationCountsOnlyWhileItsClaimerIsAlive() async throws {
        try await PipelineFixture.with { fixture in
            let trackingID = try await fixture.source.signal(.day1)
            let outcome = try await fixture.starter.handshake.claim(migrationID: .generate(), lease: .seconds(60))
            guard case .claimed(let claim) = outcome else { throw TestSupportError("could not claim") }
            try await fixture.starter.journal.begin(
                MigrationStart(
                    migrationID: claim.migrationID, trackingID: trackingID, operDate: .day1, claimedBy: "test",
                    takeoverOf: nil, tables: []))
            #expect(try await fixture.monitor.monitor.completion.unfinishedCount() == 1)
            // The claimer died: its heartbeat is older than the lease (5 s in the tests).
            try await fixture.source.client.execute(
                "UPDATE process_tracking SET periodic_update_time = now() - interval '1 minute' WHERE id = $1",
                [String(trackingID)])
            #expect(try await fixture.monitor.monitor.completion.unfinishedCount() == 0)
            let round = try await fixture.monitor.monitor.round()
            #expect(round.isDone(group: fixture.configuration.kafka.group, topic: fixture.configuration.kafka.topics.inMigration))
        }
    }
}
