import Config
import Consumer
import Logging
import Monitor
import PostgresStore
import Starter

/// One test's pipeline, wired as the CLI wires it: a fresh database with the sample in-tables,
/// an embedded broker, the starter, the PostgreSQL store and the monitor. Every integration test
/// that runs more than one stage starts here, and everything is torn down on every path.
public struct PipelineFixture: Sendable {
    public let database: TestDatabase
    public let broker: EmbeddedBroker
    public let source: SampleSource
    public let configuration: InMigrationConfiguration
    public let starter: StarterRuntime
    public let store: PostgresBOIStore
    public let monitor: MonitorRuntime
    public let logger: Logger

    /// - Parameters:
    ///   - partitions: of every topic.
    ///   - adjust: changes to the example configuration (the test database and broker are set).
    public static func with(
        partitions: Int32 = 4, logLevel: Logger.Level = .warning,
        adjust: (inout InMigrationConfiguration) -> Void = { _ in },
        _ body: (PipelineFixture) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test.pipeline")
        logger.logLevel = logLevel
        let database = try await TestDatabase.create()
        let broker = try EmbeddedBroker(partitions: partitions)
        let source = SampleSource(url: database.url)
        var starter: StarterRuntime?
        var monitor: MonitorRuntime?
        do {
            try await source.createTables()
            var configuration = try TestConfiguration.make(
                databaseURL: database.url, bootstrapServers: broker.bootstrapServers, adjust: adjust)
            configuration.kafka.partitions = partitions
            let started = try await StarterRuntime.start(configuration, claimedBy: "test", logger: logger)
            starter = started
            let store = PostgresBOIStore(
                conninfo: database.url, transactionConnections: configuration.consumer.lanes,
                schema: configuration.store.schema, logger: logger)
            try await store.install(mapping: configuration.mapping)
            let watching = try await MonitorRuntime.start(configuration, store: store, logger: logger)
            monitor = watching
            try await body(
                PipelineFixture(
                    database: database, broker: broker, source: source, configuration: configuration, starter: started,
                    store: store, monitor: watching, logger: logger))
        } catch {
            await monitor?.close()
            await starter?.close()
            await source.close()
            broker.close()
            await database.drop()
            throw error
        }
        await monitor?.close()
        await starter?.close()
        await source.close()
        broker.close()
        await database.drop()
    }

    /// A new member of the consumer group, polling `batchSize` messages at once.
    public func consumer(batchSize: Int = 5_000) throws -> ConsumerRuntime {
        var configuration = self.configuration
        configuration.consumer.batchSize = batchSize
        return try ConsumerRuntime.start(configuration, store: store, logger: logger)
    }

    /// A fresh group member consumes until the group's lag is 0 and `finished` agrees.
    public func consume(
        batchSize: Int = 5_000, finished: @Sendable () async -> Bool = { true }
    ) async throws {
        let runtime = try consumer(batchSize: batchSize)
        do {
            try await runtime.consumer.run(untilIdle: true, finished: finished)
        } catch {
            await runtime.close()
            throw error
        }
        await runtime.close()
    }

    /// Consumes until every migration is complete, as `inmigration consume --until-idle` does.
    public func consumeUntilComplete() async throws {
        let monitor = self.monitor.monitor
        try await consume { await monitor.settled() }
    }
}
