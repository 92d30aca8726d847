import Config
import Foundation
import Handshake
import Journal
import Kafka
import Logging
import Postgres

/// Everything part 1 needs, wired from the configuration: the database connections, the
/// producer, the journal, the handshake table and the starter. The CLI and the tests build it the
/// same way, so the tests run what operators run.
public struct StarterRuntime: Sendable {
    public let configuration: InMigrationConfiguration
    public let logger: Logger
    /// The customer's database: `process_tracking` and the catalogue.
    public let source: PostgresClient
    /// The customer's database again, only for reading in-tables (a COPY holds its connection):
    /// `source.readers` connections.
    public let readers: [PostgresClient]
    /// The product's database: the journal.
    public let store: PostgresClient
    public let producer: KafkaProducer
    public let handshake: HandshakeTable
    public let journal: Journal
    public let starter: Starter

    /// Connects, creates the journal and the completion columns of `process_tracking` if needed, and checks the mapping against the source database.
    /// - Throws: ``ConfigurationError`` for a mapping the database contradicts; connection errors.
    public static func start(
        _ configuration: InMigrationConfiguration, claimedBy: String = StarterRuntime.claimer, logger: Logger
    ) async throws -> StarterRuntime {
        // First, so that it connects to the broker while the databases are being prepared.
        let producer = try KafkaProducer(properties: try ProducerSettings.properties(for: configuration), logger: logger)
        let source = PostgresClient(conninfo: configuration.source.url, logger: logger)
        let readers = (0..<configuration.source.readers).map { _ in
            PostgresClient(conninfo: configuration.source.url, logger: logger)
        }
        let store = PostgresClient(conninfo: configuration.storeURL, logger: logger)
        let journal = Journal(client: store, schema: configuration.store.schema, logger: logger)
        let handshake = HandshakeTable(
            client: source, schema: configuration.source.schema, table: configuration.source.trackingTable,
            readyStatus: configuration.source.readyStatus, logger: logger)
        // The journal and the customer's tables are on different connections, each with its own
        // thread: prepare them side by side.
        async let journalInstalled: Void = journal.install()
        // A mapping the database contradicts stops start-up here; each migration discovers the
        // tables again, since their columns may change between days.
        _ = try await InTableCatalog.discover(configuration: configuration, client: source)
        try await handshake.installCompletionColumns()
        try await journalInstalled
        let starter = Starter(
            configuration: configuration, readers: readers, handshake: handshake, journal: journal,
            producer: producer, claimedBy: claimedBy, logger: logger)
        return StarterRuntime(
            configuration: configuration, logger: logger, source: source, readers: readers, store: store,
            producer: producer, handshake: handshake, journal: journal, starter: starter)
    }

    public func close() async {
        producer.close(flushTimeout: .seconds(5))
        await source.close()
        for reader in readers { await reader.close() }
        await store.close()
    }

    /// Who claims, as the journal shows it.
    public static var claimer: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
