import Config
import Domain
import Handshake
import Journal
import Logging

extension Starter {
    /// Runs beside a stream until cancelled: renews the lease, and writes progress to the journal
    /// and tells the observer. The two run apart, so that a journal database that hangs never
    /// holds up the renewal and lets another instance take over a migration still streaming.
    /// A lost lease stops the stream.
    func keepAlive(
        _ claim: Claim, progress: StreamProgress, control: StreamControl,
        observer: (@Sendable (MigrationID, [TableProgress]) -> Void)?
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.renewLease(claim, control: control) }
            group.addTask { await self.reportProgress(claim, progress: progress, observer: observer) }
        }
    }

    private func renewLease(_ claim: Claim, control: StreamControl) async {
        let renewEvery = configuration.lease.effectiveRenewInterval.duration
        while !Task.isCancelled {
            try? await Task.sleep(for: renewEvery)
            guard !Task.isCancelled else { return }
            do {
                if try await !handshake.renewLease(claim) {
                    logger.error("lease lost", metadata: ["migration_id": "\(claim.migrationID)"])
                    control.stop(.leaseLost)
                    return
                }
            } catch {
                logger.warning("lease not renewed, retrying", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The observer about four times a second, the journal about once a second.
    private func reportProgress(
        _ claim: Claim, progress: StreamProgress, observer: (@Sendable (MigrationID, [TableProgress]) -> Void)?
    ) async {
        let clock = ContinuousClock()
        var lastJournal = clock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            observer?(claim.migrationID, progress.snapshot)
            guard clock.now - lastJournal >= .seconds(1) else { continue }
            lastJournal = clock.now
            do {
                try await journal.recordProgress(claim.migrationID, progress.snapshot)
            } catch {
                logger.warning("journal progress not written", metadata: ["error": "\(error)"])
            }
        }
    }
}
