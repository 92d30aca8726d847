import Foundation
import Journal
import Logging
import Store

/// One watch over the pipeline: the lag of every watched group, and the migrations it completes
/// or fails. `inmigration serve` runs it every `monitor.interval`; `inmigration consume
/// --until-idle` runs it until nothing is left to do.
public struct Monitor: Sendable {
    public let lag: LagWatcher
    public let completion: MigrationCompletion
    let logger: Logger

    public init(lag: LagWatcher, completion: MigrationCompletion, logger: Logger) {
        self.lag = lag
        self.completion = completion
        self.logger = logger
    }

    /// What one round saw and did.
    public struct Round: Sendable {
        public var report: LagReport
        public var outcome: MigrationCompletion.Outcome
        /// Migrations still streaming (with a live lease), or streamed and not complete, after the round.
        public var unfinished: Int64

        /// The group on `IN_MIGRATION` has nothing left to read and every migration is finished.
        public func isDone(group: String, topic: String) -> Bool {
            guard let primary = report.group(group, topic: topic) else { return false }
            return primary.status == .ok && primary.lag == 0 && unfinished == 0
        }
    }

    /// Candidates first, then the lag, then the verdict: see ``MigrationCompletion``.
    public func round() async throws -> Round {
        let candidates = try await completion.candidates()
        let primary = lag.primaryGroup
        let stored = try await completion.store.positions(group: primary.group, topic: primary.topic)
        let report = await lag.check(storedPositions: stored)
        var outcome = MigrationCompletion.Outcome()
        if let group = report.group(primary.group, topic: primary.topic) {
            outcome = try await completion.settle(candidates, lag: group, checkedAt: report.checkedAt)
        }
        MonitorMetrics.record(report)
        MonitorMetrics.parkedReferences(try await completion.store.parkedReferenceCount())
        let unfinished = try await completion.unfinishedCount()
        return Round(report: report, outcome: outcome, unfinished: unfinished)
    }

    /// One round, answering whether the group on `IN_MIGRATION` has nothing left and every
    /// migration is finished: what `consume --until-idle` waits for. A failed round answers
    /// `false`, and the caller consumes on and asks again.
    public func settled() async -> Bool {
        do {
            let primary = lag.primaryGroup
            return try await round().isDone(group: primary.group, topic: primary.topic)
        } catch {
            logger.warning("monitor round failed; consuming on", metadata: ["error": "\(error)"])
            return false
        }
    }
}
