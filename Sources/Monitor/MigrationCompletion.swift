import Domain
import Foundation
import Handshake
import Journal
import Logging
import Store

/// Decides when a migration is complete and tells the customer, exactly once.
///
/// A migration is complete when its stream is done, its reference-check markers were consumed,
/// and after that the lag of the consumer group on `IN_MIGRATION` was 0: the consumer commits a
/// batch's offsets only once the store holds it and its events are on `BOI`, so lag 0 means the
/// last record is stored and its events are durable. The moment goes into the journal first (one
/// conditional update decides it, however many instances watch), then into the customer's
/// `process_tracking`; a crash between the two is mended by the next round.
public struct MigrationCompletion: Sendable {
    let journal: Journal
    let handshake: HandshakeTable
    let store: any BOIStore
    /// The claim lease (`lease.duration`): a streaming migration whose lease is older is dead.
    let lease: Duration
    let logger: Logger

    public init(journal: Journal, handshake: HandshakeTable, store: any BOIStore, lease: Duration, logger: Logger) {
        self.journal = journal
        self.handshake = handshake
        self.store = store
        self.lease = lease
        self.logger = logger
    }

    /// A streamed migration whose every marker has been consumed.
    public struct Candidate: Sendable {
        public var migration: StreamedMigration
        public var consume: ConsumeReport
    }

    /// What one round decided.
    public struct Outcome: Sendable, Hashable {
        public var completed: [MigrationID] = []
        public var failed: [MigrationID] = []
    }

    /// The streamed migrations whose markers have all been consumed. Read before the lag check,
    /// so that a lag of 0 seen afterwards covers them.
    public func candidates() async throws -> [Candidate] {
        var candidates: [Candidate] = []
        for migration in try await journal.streamedMigrations() {
            let consume = try await store.consumeReport(migration.id)
            guard let expected = consume.markersExpected, consume.markersSeen >= expected else { continue }
            candidates.append(Candidate(migration: migration, consume: consume))
        }
        return candidates
    }

    /// Completes the candidates when the group on `IN_MIGRATION` has caught up, or fails every
    /// unfinished migration when that group lost data (its committed offset fell below the log
    /// start, or the consumer found a gap); then copies finished completions into
    /// `process_tracking`.
    /// - Parameter lag: the check of the group on `IN_MIGRATION`, made after `candidates` was read.
    public func settle(_ candidates: [Candidate], lag: GroupLag, checkedAt: Date) async throws -> Outcome {
        var outcome = Outcome()
        let gaps = try await store.unreportedGaps()
        if !gaps.isEmpty {
            outcome.failed = try await fail(
                ranges: gaps.map { "\($0.topic)[\($0.partition)] offsets \($0.from)..<\($0.to)" }, group: lag.group)
            try await store.markReported(gaps)
        }
        switch lag.status {
        case .dataLoss:
            outcome.failed += try await failForLoss(lag)
        case .ok where lag.lag == 0:
            for candidate in candidates {
                let counts = CompletionCounts(
                    recordsStreamed: candidate.migration.recordsStreamed, recordsConsumed: candidate.consume.total.records,
                    streamRejected: candidate.migration.recordsRejected, consumeRejected: candidate.consume.total.rejected,
                    refsDangling: candidate.consume.danglingCount ?? 0)
                if try await journal.markComplete(candidate.migration.id, at: checkedAt, counts: counts) {
                    outcome.completed.append(candidate.migration.id)
                    logger.notice(
                        "migration complete: the in-tables may be cleared",
                        metadata: [
                            "migration_id": "\(candidate.migration.id)", "records_consumed": "\(counts.recordsConsumed)",
                            "records_rejected": "\(counts.recordsRejected)", "refs_dangling": "\(counts.refsDangling)",
                        ])
                }
            }
        default:
            break
        }
        try await signalCompletions()
        return outcome
    }

    /// Migrations a consumer should still wait for: streamed ones, and streaming ones whose claimer
    /// is alive (a dead one's migration is abandoned when another instance takes the row over).
    public func unfinishedCount() async throws -> Int64 {
        var count: Int64 = 0
        for migration in try await journal.unfinishedMigrations() {
            if migration.status == .streaming {
                guard try await handshake.holdsLiveLease(
                    trackingID: migration.trackingID, migrationID: migration.id, lease: lease)
                else { continue }
            }
            count += 1
        }
        return count
    }

    /// Copies every completion the customer has not seen into `process_tracking`.
    func signalCompletions() async throws {
        for completion in try await journal.unsignalledCompletions() {
            let written = try await handshake.signalSafeToClear(
                trackingID: completion.trackingID, migrationID: completion.id, at: completion.completedAt,
                recordsStreamed: completion.counts.recordsStreamed, recordsConsumed: completion.counts.recordsConsumed,
                recordsRejected: completion.counts.recordsRejected, refsDangling: completion.counts.refsDangling)
            if !written {
                logger.notice(
                    "process_tracking already had the safe-to-clear moment, or the row belongs to another migration",
                    metadata: ["migration_id": "\(completion.id)", "tracking_id": "\(completion.trackingID)"])
            }
            try await journal.markSignalled(completion.id)
        }
    }

    private func failForLoss(_ lag: GroupLag) async throws -> [MigrationID] {
        try await fail(
            ranges: lag.partitions.compactMap { partition in
                partition.lost.map { "\(lag.topic)[\(partition.partition)] offsets \($0.from)..<\($0.to)" }
            },
            group: lag.group)
    }

    /// Fails every unfinished migration: any of them may have lost records in these ranges.
    private func fail(ranges: [String], group: String) async throws -> [MigrationID] {
        let reason =
            "DATA LOSS: \(ranges.joined(separator: ", ")) were removed by the broker's retention before group "
            + "\(group) consumed them; re-run the migration"
        let failed = try await journal.failUnfinished(reason: reason)
        for migration in failed {
            try await handshake.signalLost(trackingID: migration.trackingID, migrationID: migration.id)
            logger.critical("migration failed", metadata: ["migration_id": "\(migration.id)", "reason": "\(reason)"])
        }
        return failed.map(\.id)
    }
}
