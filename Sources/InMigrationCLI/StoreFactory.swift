import Config
import Logging
import PostgresStore
import Store

/// The store the configuration names, installed for its mapping.
enum StoreFactory {
    static func make(_ configuration: InMigrationConfiguration, logger: Logger) async throws -> any BOIStore {
        switch configuration.store.kind {
        case .postgres:
            // Batches get connections of their own, one per consumer lane, so that the lanes work
            // at once and the monitor, the API and the outbox relay never wait behind a batch.
            let store = PostgresBOIStore(
                conninfo: configuration.storeURL, transactionConnections: configuration.consumer.lanes,
                schema: configuration.store.schema, logger: logger)
            try await store.install(mapping: configuration.mapping)
            return store
        case .mongo:
            throw CommandFailure(
                message:
                    "\(configuration.file): store.kind: the MongoDB store is not available yet; use postgres",
                exitCode: 2)
        }
    }
}
