import Config
import Consumer
import Domain
import HTTPServer
import Hummingbird
import HummingbirdTesting
import IntegrationSupport
import Logging
import Metrics
import Monitor
import Postgres
import PostgresStore
import Prometheus
import Starter
import Testing

/// A running API over a real database and broker, reached through real HTTP requests, with the
/// pieces a test drives: the starter, the store, the monitor and the sample in-tables.
struct APIFixture: Sendable {
    static let token = "test-token"

    /// The metrics system takes one factory per process; every test of this target shares it.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    let runtime: StarterRuntime
    let runner: MigrationRunner
    let source: SampleSource
    let store: PostgresBOIStore
    let monitor: MonitorRuntime
    let broker: EmbeddedBroker
    let configuration: InMigrationConfiguration

    static let logger: Logger = {
        var logger = Logger(label: "test.api")
        logger.logLevel = .warning
        return logger
    }()

    static func with(
        protectReads: Bool = false,
        _ body: @escaping @Sendable (any TestClientProtocol, APIFixture) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create()
        let broker = try EmbeddedBroker(partitions: 2)
        let source = SampleSource(url: database.url)
        let metrics = Self.metrics
        do {
            try await source.createTables()
            try await source.generate(people: 30)
            let configuration = try TestConfiguration.make(
                databaseURL: database.url, bootstrapServers: broker.bootstrapServers,
                adjust: {
                    $0.http.token = Self.token
                    $0.http.protectReads = protectReads
                })
            let runtime = try await StarterRuntime.start(configuration, logger: logger)
            let store = PostgresBOIStore(
                client: PostgresClient(conninfo: database.url, logger: logger), schema: configuration.store.schema,
                logger: logger)
            try await store.install(mapping: configuration.mapping)
            let monitor = try await MonitorRuntime.start(configuration, store: store, logger: logger)
            let runner = MigrationRunner(starter: runtime.starter, logger: logger)
            let fixture = APIFixture(
                runtime: runtime, runner: runner, source: source, store: store, monitor: monitor, broker: broker,
                configuration: configuration)
            let router = APIServer.router(
                .init(
                    runner: runner, journal: runtime.journal, database: runtime.store, handshake: runtime.handshake,
                    store: store, lag: monitor.monitor.lag, metrics: metrics, http: configuration.http))
            let app = Application(router: router, logger: logger)
            do {
                try await app.test(.live) { client in try await body(client, fixture) }
            } catch {
                await runner.shutdown()
                await monitor.close()
                await runtime.close()
                throw error
            }
            await runner.shutdown()
            await monitor.close()
            await runtime.close()
        } catch {
            await source.close()
            broker.close()
            await database.drop()
            throw error
        }
        await source.close()
        broker.close()
        await database.drop()
    }

    /// Consumes what was streamed until the migrations are complete, as `consume --until-idle`.
    func consumeUntilComplete() async throws {
        let consumer = try ConsumerRuntime.start(configuration, store: store, logger: Self.logger)
        let monitor = self.monitor
        let configuration = self.configuration
        do {
            try await consumer.consumer.run(untilIdle: true) {
                guard let round = try? await monitor.monitor.round() else { return false }
                return round.isDone(group: configuration.kafka.group, topic: configuration.kafka.topics.inMigration)
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }

    var authorized: HTTPFields { [.authorization: "Bearer \(Self.token)"] }
}
