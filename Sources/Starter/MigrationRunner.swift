import Domain
import Handshake
import Journal
import Logging
import Synchronization

/// Runs streams in the background for the REST trigger and the scheduler, one task per claimed
/// migration, and lets shutdown wait for them.
///
/// A claim is made before the caller gets an answer, so the REST API can say 202 with the
/// migration id, 409 or 404 at once; the stream itself then runs here.
public final class MigrationRunner: Sendable {
    /// What a trigger found.
    public enum TriggerOutcome: Sendable, Hashable {
        /// A migration was claimed and is streaming in the background.
        case started(Claim)
        /// Another live migration holds the ready row.
        case busy(TrackingRow)
        case nothingReady
    }

    private let starter: Starter
    private let logger: Logger
    private let running = Mutex<[MigrationID: Task<Void, Never>]>([:])

    public init(starter: Starter, logger: Logger) {
        self.starter = starter
        self.logger = logger
    }

    /// Claims the ready row (of `operDate`, when given) and streams it in the background.
    public func trigger(operDate: OperDate? = nil) async throws -> TriggerOutcome {
        switch try await starter.claim(operDate: operDate) {
        case .claimed(let claim):
            launch(claim)
            return .started(claim)
        case .busy(let row):
            return .busy(row)
        case .nothingReady:
            return .nothingReady
        }
    }

    /// Claims and streams every ready row, one after the other (the scheduler's pass).
    public func runPass() async {
        do {
            while case .claimed(let claim) = try await starter.claim() {
                launch(claim)
                await wait(for: claim.migrationID)
            }
        } catch {
            logger.error("scheduler pass failed", metadata: ["error": "\(error)"])
        }
    }

    /// Migrations streaming right now.
    public var active: [MigrationID] { running.withLock { Array($0.keys) } }

    /// Waits for one background migration (returns at once if it is not running).
    public func wait(for id: MigrationID) async {
        let task = running.withLock { $0[id] }
        await task?.value
    }

    /// Cancels every running stream (their claims are released) and waits for them to stop.
    public func shutdown() async {
        let tasks = running.withLock { Array($0.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private func launch(_ claim: Claim) {
        let starter = self.starter
        let logger = self.logger
        running.withLock { running in
            running[claim.migrationID] = Task { [weak self] in
                do {
                    _ = try await starter.stream(claim)
                } catch {
                    logger.error("background migration failed", metadata: ["error": "\(error)"])
                }
                self?.finished(claim.migrationID)
            }
        }
    }

    private func finished(_ id: MigrationID) {
        _ = running.withLock { $0.removeValue(forKey: id) }
    }
}
