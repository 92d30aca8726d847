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

@Suite("Starter: claims and leases", .serialized, .enabled(if: TestDatabase.isAvailable))
struct ClaimTests {
    @Test(.timeLimit(.minutes(1)))
    func amongConcurrentClaimersExactlyOneWins() async throws {
        try await StarterFixture.with(partitions: 1) { fixture, runtime in
            try await fixture.source.signal(.day1)
            // Each claimer has its own connection, as separate instances would.
            let handshakes = (0..<8).map { index in
                HandshakeTable(
                    client: PostgresClientFactory.make(fixture.database.url), schema: "public",
                    table: "process_tracking", readyStatus: "DONE", logger: .init(label: "claimer-\(index)"))
            }
            let outcomes = try await withThrowingTaskGroup(of: ClaimOutcome.self) { group in
                for handshake in handshakes {
                    group.addTask { try await handshake.claim(migrationID: .generate(), lease: .seconds(60)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { outcome -> Claim? in
                if case .claimed(let claim) = outcome { return claim }
                return nil
            }
            #expect(winners.count == 1)
            // The others see the row as busy, or — while the winner's claim is not yet committed —
            // as not ready; never as theirs.
            #expect(outcomes.filter { if case .claimed = $0 { false } else { true } }.count == 7)
            let row = try await fixture.trackingRow(try #require(winners.first).trackingID)
            #expect(row["occupied_by_process"] == winners.first?.migrationID.rawValue)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aLiveLeaseIsNotStolen() async throws {
        try await StarterFixture.with(partitions: 1) { fixture, runtime in
            try await fixture.source.signal(.day1)
            guard case .claimed(let first) = try await runtime.handshake.claim(migrationID: .generate(), lease: .seconds(2))
            else { throw TestSupportError("the first claim failed") }
            for _ in 0..<4 {
                try await Task.sleep(for: .milliseconds(700))
                #expect(try await runtime.handshake.renewLease(first))
                let second = try await runtime.handshake.claim(migrationID: .generate(), lease: .seconds(2))
                guard case .busy(let row) = second else {
                    Issue.record("a live lease was stolen: \(second)")
                    return
                }
                #expect(row.occupiedByProcess == first.migrationID.rawValue)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anExpiredLeaseIsTakenOverAndThatMigrationCompletes() async throws {
        try await StarterFixture.with(partitions: 2, adjust: { $0.lease.duration = .seconds(1) }) { fixture, runtime in
            try await fixture.source.generate(people: 50)
            let trackingID = try await fixture.source.signal(.day1)
            // A claimer that starts its migration and then dies: no heartbeat, no signal.
            let dead = MigrationID.generate()
            guard case .claimed(let deadClaim) = try await runtime.handshake.claim(migrationID: dead, lease: .seconds(1))
            else { throw TestSupportError("the first claim failed") }
            try await runtime.journal.begin(
                MigrationStart(
                    migrationID: dead, trackingID: deadClaim.trackingID, operDate: deadClaim.operDate,
                    claimedBy: "dead", takeoverOf: nil, tables: []))
            #expect(try await runtime.starter.claim() == .busy(try #require(try await runtime.handshake.row(id: trackingID))))

            try await Task.sleep(for: .milliseconds(1500))
            let reports = try await runtime.starter.runUntilIdle()
            let report = try #require(reports.first)
            #expect(report.recordsStreamed > 0)
            let row = try await fixture.trackingRow(trackingID)
            #expect(row["ins_inkafka_status"] == "DONE")
            #expect(row["occupied_by_process"] == report.migrationID.rawValue)
            let taker = try #require(try await runtime.journal.report(report.migrationID))
            #expect(taker.takeoverOf == dead.rawValue)
            #expect(taker.status == "STREAMED")
            #expect(try await runtime.journal.report(dead)?.status == "ABANDONED")
            // The dead claimer, were it to wake up, can signal nothing.
            #expect(try await !runtime.handshake.signalStreamed(deadClaim))
            #expect(try await !runtime.handshake.renewLease(deadClaim))
        }
    }

    /// What a claim that lost its row is told, for each way of losing it.
    @Test(.timeLimit(.minutes(1)))
    func aLostClaimSaysWhy() async throws {
        try await StarterFixture.with(partitions: 1, adjust: { $0.lease.duration = .seconds(1) }) { fixture, runtime in
            let trackingID = try await fixture.source.signal(.day1)
            guard case .claimed(let first) = try await runtime.handshake.claim(migrationID: .generate(), lease: .seconds(1))
            else { throw TestSupportError("the first claim failed") }
            #expect(try await runtime.handshake.whyLost(first) == nil)

            try await Task.sleep(for: .milliseconds(1200))
            guard case .claimed(let second) = try await runtime.handshake.claim(migrationID: .generate(), lease: .seconds(1))
            else { throw TestSupportError("the expired lease was not taken over") }
            let takenOver = try await runtime.handshake.whyLost(first)
            #expect(takenOver == .takenOver(by: second.migrationID.rawValue))
            #expect(takenOver?.description.contains(second.migrationID.rawValue) == true)

            try await runtime.handshake.signalLost(trackingID: trackingID, migrationID: second.migrationID)
            #expect(try await runtime.handshake.whyLost(second) == .givenVerdict("FAILED"))

            _ = try await fixture.source.client.execute("DELETE FROM process_tracking WHERE id = $1", [String(trackingID)])
            #expect(try await runtime.handshake.whyLost(second) == .rowDeleted)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aFailedDayIsRetriedOnlyWhenAskedFor() async throws {
        try await StarterFixture.with(partitions: 1) { fixture, runtime in
            let trackingID = try await fixture.source.signal(.day1)
            guard case .claimed(let claim) = try await runtime.starter.claim() else {
                throw TestSupportError("no claim")
            }
            try await runtime.handshake.signalFailed(claim)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "FAILED")
            #expect(try await runtime.starter.claim() == .nothingReady)
            guard case .claimed(let retry) = try await runtime.starter.claim(operDate: .day1) else {
                throw TestSupportError("an explicit retry did not claim the failed day")
            }
            #expect(retry.trackingID == trackingID)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == nil)
        }
    }

    /// A day the customer wrote as `infinity` sorts after every other; claimed, it would be held
    /// at every lease's end and never streamed. It fails visibly, and the next day is claimed.
    @Test(.timeLimit(.minutes(1)))
    func aRowWhoseDayIsNoCalendarDayFailsAndTheNextIsClaimed() async throws {
        try await StarterFixture.with(partitions: 1) { fixture, runtime in
            let odd = try #require(
                try await fixture.source.client.execute(
                    """
                    INSERT INTO process_tracking (oper_date, start_load_time, end_load_time, load_status)
                    VALUES ('-infinity', now(), now(), 'DONE') RETURNING id
                    """
                ).first?.int64("id"))
            let good = try await fixture.source.signal(.day1)
            guard case .claimed(let claim) = try await runtime.starter.claim() else {
                throw TestSupportError("the calendar day was not claimed")
            }
            #expect(claim.trackingID == good)
            #expect(claim.operDate == .day1)
            let failed = try await fixture.trackingRow(odd)
            #expect(failed["ins_inkafka_status"] == "FAILED")
            #expect(failed["end_ins_inkafka_time"] != nil)
            // Not claimed again: what is left is the day just claimed, held.
            guard case .busy(let holder) = try await runtime.starter.claim() else {
                throw TestSupportError("a second claim took a row")
            }
            #expect(holder.id == good)
            #expect(try await fixture.trackingRow(odd)["ins_inkafka_status"] == "FAILED")
            // The operator's listing (status, REST) shows the failed row with its day as written.
            let listed = try #require(try await runtime.handshake.rows().first { $0.id == odd })
            #expect(listed.operDate == "-infinity")
            #expect(listed.insInKafkaStatus == "FAILED")
            #expect(try await runtime.handshake.row(id: odd)?.operDate == "-infinity")
        }
    }
}
