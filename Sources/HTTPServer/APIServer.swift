import Config
import Foundation
import Handshake
import Hummingbird
import Journal
import Logging
import Monitor
import Postgres
import Prometheus
import Starter
import Store

/// The HTTP API: the REST trigger, progress, lag and the handshake rows under `/api`, `/health`,
/// `/metrics` and the operator's dashboard (`docs/openapi.yaml` describes every endpoint).
public enum APIServer {
    /// What the routes need.
    public struct Dependencies: Sendable {
        public var runner: MigrationRunner
        public var journal: Journal
        /// The product's database, for the health check.
        public var database: PostgresClient
        public var handshake: HandshakeTable
        public var store: any BOIStore
        public var lag: LagWatcher
        public var metrics: PrometheusCollectorRegistry
        public var http: HTTPOptions

        public init(
            runner: MigrationRunner, journal: Journal, database: PostgresClient, handshake: HandshakeTable,
            store: any BOIStore, lag: LagWatcher, metrics: PrometheusCollectorRegistry, http: HTTPOptions
        ) {
            self.runner = runner
            self.journal = journal
            self.database = database
            self.handshake = handshake
            self.store = store
            self.lag = lag
            self.metrics = metrics
            self.http = http
        }

        /// What a process that runs the starter, a store and the lag watch serves: the journal,
        /// database and handshake table are the starter's, the HTTP options its configuration's.
        public init(
            runner: MigrationRunner, starter: StarterRuntime, store: any BOIStore, monitor: MonitorRuntime,
            metrics: PrometheusCollectorRegistry
        ) {
            self.init(
                runner: runner, journal: starter.journal, database: starter.store, handshake: starter.handshake,
                store: store, lag: monitor.monitor.lag, metrics: metrics, http: starter.configuration.http)
        }
    }

    /// The router with every route, the token check and one error shape.
    public static func router(_ dependencies: Dependencies) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorBodyMiddleware())
        router.add(middleware: BearerTokenMiddleware(token: dependencies.http.token, protectReads: dependencies.http.protectReads))
        MigrationRoutes(dependencies: dependencies).register(on: router.group("api/migrations"))
        PipelineRoutes(dependencies: dependencies).register(on: router)
        DashboardRoute().register(on: router)
        return router
    }

    /// The application listening on the configured host and port.
    /// - Parameter onListening: called with the bound port once the server accepts connections
    ///   (port 0 in the configuration lets the system choose one).
    public static func application(
        _ dependencies: Dependencies, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(dependencies),
            configuration: .init(
                address: .hostname(dependencies.http.host, port: dependencies.http.port), serverName: "inmigration"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? dependencies.http.port) },
            logger: logger
        )
    }
}
