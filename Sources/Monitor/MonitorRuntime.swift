import Config
import Handshake
import Journal
import Logging
import Postgres
import Store

/// The monitor wired from the configuration: its own connections to the customer's database
/// (`process_tracking`) and the product's (the journal), and the lag readers. The CLI and the
/// tests build it the same way.
public struct MonitorRuntime: Sendable {
    public let monitor: Monitor
    public let handshake: HandshakeTable
    public let journal: Journal
    let source: PostgresClient
    let product: PostgresClient

    /// - Parameter store: the installed store the consumer writes to.
    /// - Throws: ``ConfigurationError`` without a broker address; connection errors.
    public static func start(
        _ configuration: InMigrationConfiguration, store: any BOIStore, logger: Logger
    ) async throws -> MonitorRuntime {
        let source = PostgresClient(conninfo: configuration.source.url, logger: logger)
        let product = PostgresClient(conninfo: configuration.storeURL, logger: logger)
        let journal = Journal(client: product, schema: configuration.store.schema, logger: logger)
        let handshake = HandshakeTable(
            client: source, schema: configuration.source.schema, table: configuration.source.trackingTable,
            readyStatus: configuration.source.readyStatus, logger: logger)
        do {
            try await journal.install()
            try await handshake.installCompletionColumns()
            let lag = try LagWatcher(configuration: configuration, logger: logger)
            let completion = MigrationCompletion(
                journal: journal, handshake: handshake, store: store, lease: configuration.lease.duration.duration,
                logger: logger)
            return MonitorRuntime(
                monitor: Monitor(lag: lag, completion: completion, logger: logger), handshake: handshake,
                journal: journal, source: source, product: product)
        } catch {
            await source.close()
            await product.close()
            throw error
        }
    }

    public func close() async {
        await monitor.lag.close()
        await source.close()
        await product.close()
    }
}
