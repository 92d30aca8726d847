import Config
import Domain
import Handshake
import Journal
import Kafka
import Logging
import Postgres
import Synchronization

/// Part 1 of in-migration (the seed's `InMigrationStarterImpl` and `InMigrationImpl`): claims a
/// ready day in `process_tracking`, streams every record of every mapped in-table to
/// `IN_MIGRATION`, and gives the done-signal only when the broker acknowledged all of them.
public struct Starter: Sendable {
    let configuration: InMigrationConfiguration
    let readers: [PostgresClient]
    let handshake: HandshakeTable
    let journal: Journal
    let producer: KafkaProducer
    let logger: Logger
    let claimedBy: String

    /// - Parameters:
    ///   - readers: connections to the source database used only to read in-tables, each a share
    ///     of a table at once (at least one).
    ///   - handshake: `process_tracking`, on a connection of its own (lease renewals must not wait
    ///     behind a long read).
    ///   - claimedBy: who claims, as the journal shows it (host and pid).
    public init(
        configuration: InMigrationConfiguration, readers: [PostgresClient],
        handshake: HandshakeTable, journal: Journal, producer: KafkaProducer, claimedBy: String, logger: Logger
    ) {
        self.configuration = configuration
        precondition(!readers.isEmpty, "a starter needs at least one reader")
        self.readers = readers
        self.handshake = handshake
        self.journal = journal
        self.producer = producer
        self.claimedBy = claimedBy
        self.logger = logger
    }

    /// Claims the next ready row (or the one of `operDate`) under a new migration id.
    public func claim(operDate: OperDate? = nil) async throws -> ClaimOutcome {
        try await handshake.claim(
            migrationID: .generate(), lease: configuration.lease.duration.duration, operDate: operDate)
    }

    /// Claims and streams, until nothing is ready: what the scheduler and `run --once` do.
    /// - Returns: the report of every migration streamed, in order.
    /// - Throws: the first ``StarterError``; migrations before it are complete.
    public func runUntilIdle(
        operDate: OperDate? = nil, observer: (@Sendable (MigrationID, [TableProgress]) -> Void)? = nil
    ) async throws -> [StreamReport] {
        var reports: [StreamReport] = []
        while case .claimed(let claim) = try await claim(operDate: operDate) {
            reports.append(try await stream(claim, observer: observer))
            if operDate != nil { break }
        }
        return reports
    }

    static let nextTag = Atomic<UInt64>(1)

    /// A delivery-report tag no other stream of this process uses.
    static func makeTag() -> UInt64 {
        nextTag.add(1, ordering: .relaxed).oldValue
    }
}
