import Config
import Domain
import Handshake
import Journal
import Logging

extension Starter {
    /// Runs beside a stream: renews the lease, writes progress to the journal and tells the
    /// observer, until cancelled. A lost lease stops the stream.
    func keepAlive(
        _ claim: Claim, progress: StreamProgress, control: StreamControl,
        observer: (@Sendable (MigrationID, [TableProgress]) -> Void)?
    ) async {
        let clock = ContinuousClock()
        let renewEvery = configuration.lease.effectiveRenewInterval.duration
        let journalEvery = Duration.seconds(1)
        var lastRenewal = clock.now
        var lastJournal = clock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            let now = clock.now
            observer?(claim.migrationID, progress.snapshot)
            if now - lastJournal >= journalEvery {
                lastJournal = now
                do {
                    try await journal.recordProgress(claim.migrationID, progress.snapshot)
                } catch {
                    logger.warning("journal progress not written", metadata: ["error": "\(error)"])
                }
            }
            if now - lastRenewal >= renewEvery {
                lastRenewal = now
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
    }
}
