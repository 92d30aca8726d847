import Config
import Domain
import Foundation
import Handshake
import IntegrationSupport
import Journal
import Kafka
import Logging
import Postgres
import Starter
import Testing

@Suite("Starter: a broker that is down", .serialized, .enabled(if: TestDatabase.isAvailable))
struct BrokerFaultTests {
    @Test(.timeLimit(.minutes(2)))
    func downAtTheStartNoSignalUntilItReturnsThenDone() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            try await fixture.source.generate(people: 200)
            let trackingID = try await fixture.source.signal(.day1)
            try fixture.broker.cluster.setAllBrokers(up: false)
            let stream = Task { try await runtime.starter.runUntilIdle() }
            try await Task.sleep(for: .seconds(3))
            let during = try await fixture.trackingRow(trackingID)
            #expect(during["occupied_by_process"] != nil)
            #expect(during["ins_inkafka_status"] == nil, "done-signal while the broker is down")
            #expect(during["end_ins_inkafka_time"] == nil)
            try fixture.broker.cluster.setAllBrokers(up: true)
            let report = try #require(try await stream.value.first)
            let after = try await fixture.trackingRow(trackingID)
            #expect(after["ins_inkafka_status"] == "DONE")
            let records = try fixture.messages(of: report.migrationID).filter {
                if case .record = $0.decoded { return true }
                return false
            }
            #expect(Int64(records.count) == report.recordsStreamed)
        }
    }

    /// The lag watch fails a day whose records the broker dropped, while the starter may still
    /// stream it. The starter stops at its next lease renewal, and its error says what happened
    /// to the row instead of blaming a takeover that never was.
    @Test(.timeLimit(.minutes(2)))
    func aRowFailedWhileStreamingStopsTheStarterWithTheReason() async throws {
        try await StarterFixture.with(partitions: 2, adjust: { $0.lease.renewEvery = .milliseconds(300) }) {
            fixture, runtime in
            try await fixture.source.generate(people: 200)
            let trackingID = try await fixture.source.signal(.day1)
            try fixture.broker.cluster.setAllBrokers(up: false)
            let stream = Task { try await runtime.starter.runUntilIdle() }
            defer { try? fixture.broker.cluster.setAllBrokers(up: true) }
            var holder: String?
            for _ in 0..<100 where holder == nil {
                try await Task.sleep(for: .milliseconds(50))
                holder = try await fixture.trackingRow(trackingID)["occupied_by_process"] ?? nil
            }
            let migration = MigrationID(rawValue: try #require(holder))
            try await runtime.handshake.signalLost(trackingID: trackingID, migrationID: migration)
            let failedAt = ContinuousClock.now
            await #expect {
                _ = try await stream.value
            } throws: { error in
                guard let error = error as? StarterError, error.code == .leaseLost else { return false }
                return error.message.contains("row \(trackingID) was lost while it streamed")
                    && error.message.contains("marked FAILED")
            }
            // It stops waiting for the broker at once, not when the delivery timeout (30 s) ends.
            #expect(ContinuousClock.now - failedAt < .seconds(15))
            let journal = try #require(try await runtime.journal.report(migration))
            #expect(journal.status == "FAILED")
            #expect(journal.error?.contains("marked FAILED") == true, "\(journal.error ?? "no error")")
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "FAILED")
        }
    }

    /// A shutdown while the starter waits for the broker's acknowledgements is a shutdown, not a
    /// failed day: the journal says abandoned, the claim is released for another instance, and
    /// `process_tracking` shows no verdict.
    @Test(.timeLimit(.minutes(2)))
    func shutdownWhileWaitingForTheBrokerReleasesTheClaim() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            try await fixture.source.generate(people: 200)
            let trackingID = try await fixture.source.signal(.day1)
            try fixture.broker.cluster.setAllBrokers(up: false)
            let stream = Task { try await runtime.starter.runUntilIdle() }
            // The tables are read in well under a second; then only the delivery wait is left.
            try await Task.sleep(for: .seconds(3))
            let during = try await fixture.trackingRow(trackingID)
            let migration = try #require(during["occupied_by_process"].map(MigrationID.init(rawValue:)))
            let read = try await runtime.journal.report(migration)?.tables.map(\.status) ?? []
            #expect(!read.isEmpty && read.allSatisfy { $0 == "STREAMED" || $0 == "REFUSED" }, "\(read)")
            stream.cancel()
            await #expect {
                _ = try await stream.value
            } throws: { error in
                (error as? StarterError)?.code == .cancelled
            }
            #expect(try await runtime.journal.report(migration)?.status == "ABANDONED")
            let after = try await fixture.trackingRow(trackingID)
            #expect(after["ins_inkafka_status"] == nil)
            #expect(after["periodic_update_time"] == nil, "the claim is released")
            try fixture.broker.cluster.setAllBrokers(up: true)
        }
    }

    /// The outage cuts the connection while produce requests are in flight. librdkafka's idempotent
    /// producer sends those batches again with their original sequence numbers; a real broker
    /// recognises them and stores each once. The mock broker of librdkafka 2.0.2 checks sequence
    /// numbers for transactional producers only (`rd_kafka_mock_validate_records`), so it stores
    /// such a batch a second time. What can be asserted here is what the starter owns: no record
    /// lost, none counted twice, and every extra copy on the topic an exact resend of a message
    /// already in its partition, never a record sent again by the starter with other content.
    @Test(.timeLimit(.minutes(2)))
    func downMidStreamAndBackCompletesWithEveryRecordAndOnlyBrokerResends() async throws {
        // 8 partitions keep each under the mock broker's 5 MiB per-partition retention.
        try await StarterFixture.with(partitions: 8) { fixture, runtime in
            try await fixture.source.generate(people: 20_000)
            let trackingID = try await fixture.source.signal(.day1)
            try fixture.broker.cluster.setRoundTripTime(broker: 1, milliseconds: 50)
            let stream = Task { try await runtime.starter.runUntilIdle() }
            try await waitUntilTheStreamIsUnderway(fixture)
            try fixture.broker.cluster.setAllBrokers(up: false)
            try await Task.sleep(for: .seconds(2))
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == nil)
            try fixture.broker.cluster.setAllBrokers(up: true)
            try fixture.broker.cluster.setRoundTripTime(broker: 1, milliseconds: 0)
            let report = try #require(try await stream.value.first)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "DONE")
            var first: [String: KafkaMessage] = [:]
            for entry in try fixture.messages(of: report.migrationID) {
                guard case .record(let record) = entry.decoded else { continue }
                let key = "\(record.table)/\(record.externalId ?? "")"
                guard let original = first[key] else {
                    first[key] = entry.message
                    continue
                }
                #expect(original.partition == entry.message.partition, "\(key) sent to two partitions")
                #expect(original.offset < entry.message.offset)
                #expect(original.value == entry.message.value, "\(key) sent twice with different content")
            }
            let rootRows = try await fixture.source.counts().values.reduce(0, +)
            #expect(Int64(first.count) == rootRows - report.recordsRejected)
            #expect(Int64(first.count) == report.recordsStreamed)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func downForGoodFailsVisiblyAfterTheDeliveryTimeout() async throws {
        try await StarterFixture.with(partitions: 2, adjust: { $0.kafka.deliveryTimeout = .seconds(3) }) {
            fixture, runtime in
            try await fixture.source.generate(people: 500)
            let trackingID = try await fixture.source.signal(.day1)
            try fixture.broker.cluster.setAllBrokers(up: false)
            await #expect(throws: StarterError.self) { try await runtime.starter.runUntilIdle() }
            let row = try await fixture.trackingRow(trackingID)
            #expect(row["ins_inkafka_status"] == "FAILED")
            #expect(row["end_ins_inkafka_time"] == nil)
            let migration = MigrationID(rawValue: try #require(row["occupied_by_process"]))
            let report = try #require(try await runtime.journal.report(migration))
            #expect(report.status == "FAILED")
            #expect(report.error?.contains("not acknowledged") == true)
        }
    }

    private func waitUntilTheStreamIsUnderway(_ fixture: StarterFixture) async throws {
        for _ in 0..<200 {
            let rows = try await fixture.source.client.execute(
                "SELECT coalesce(sum(rows_streamed), 0) AS n FROM inmigration.migration_table")
            if (rows.first?.int64("n") ?? 0) > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("the stream never started")
    }
}
