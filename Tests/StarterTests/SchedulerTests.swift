import Config
import Domain
import Foundation
import Handshake
import IntegrationSupport
import Journal
import Logging
import Postgres
import ServiceLifecycle
import Starter
import Testing

@Suite("Scheduler and shutdown", .serialized, .enabled(if: TestDatabase.isAvailable))
struct SchedulerTests {
    @Test(.timeLimit(.minutes(1)))
    func theSchedulerStreamsWhatBecomesReady() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            try await fixture.source.generate(people: 40)
            let runner = MigrationRunner(starter: runtime.starter, logger: Logger(label: "test.runner"))
            var options = SchedulerOptions()
            options.pollInterval = .milliseconds(200)
            let scheduler = SchedulerService(runner: runner, options: options, logger: Logger(label: "test.scheduler"))
            let group = ServiceGroup(services: [scheduler], logger: Logger(label: "test.group"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // The customer signals after the scheduler started polling.
                try await Task.sleep(for: .milliseconds(500))
                let trackingID = try await fixture.source.signal(.day1)
                var status: String?
                for _ in 0..<100 where status != "DONE" {
                    try await Task.sleep(for: .milliseconds(100))
                    status = try await fixture.trackingRow(trackingID)["ins_inkafka_status"]
                }
                #expect(status == "DONE")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func shutdownMidStreamReleasesTheClaimForAnotherInstance() async throws {
        try await StarterFixture.with(partitions: 16) { fixture, runtime in
            try await fixture.source.generate(people: 60_000)
            let trackingID = try await fixture.source.signal(.day1)
            let runner = MigrationRunner(starter: runtime.starter, logger: Logger(label: "test.runner"))
            guard case .started(let claim) = try await runner.trigger() else {
                throw TestSupportError("nothing was claimed")
            }
            try await Task.sleep(for: .milliseconds(300))
            await runner.shutdown()

            let row = try await fixture.trackingRow(trackingID)
            #expect(row["ins_inkafka_status"] == nil, "a stopped stream must not signal done or failed")
            #expect(row["periodic_update_time"] == nil, "the lease was not released")
            #expect(try await runtime.journal.report(claim.migrationID)?.status == "ABANDONED")
            guard case .claimed(let next) = try await runtime.starter.claim() else {
                throw TestSupportError("another instance could not take the released row")
            }
            #expect(next.takeoverOf == claim.migrationID)
        }
    }
}
