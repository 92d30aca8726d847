import Config
import HTTPServer
import Hummingbird
import HummingbirdTesting
import IntegrationSupport
import Metrics
import Monitor
import Prometheus
import Starter

/// A running API over a real pipeline (database, broker, starter, store, monitor), reached through
/// real HTTP requests.
struct APIFixture: Sendable {
    static let token = "test-token"

    /// The metrics system takes one factory per process; every test of this target shares it.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    let pipeline: PipelineFixture
    let runner: MigrationRunner

    var runtime: StarterRuntime { pipeline.starter }
    var source: SampleSource { pipeline.source }
    var broker: EmbeddedBroker { pipeline.broker }

    /// Runs `body` against the API over a pipeline whose in-tables hold 30 people.
    static func with(
        protectReads: Bool = false,
        _ body: @escaping @Sendable (any TestClientProtocol, APIFixture) async throws -> Void
    ) async throws {
        let metrics = Self.metrics
        try await PipelineFixture.with(
            partitions: 2,
            adjust: {
                $0.http.token = Self.token
                $0.http.protectReads = protectReads
            }
        ) { pipeline in
            try await pipeline.source.generate(people: 30)
            let runner = MigrationRunner(starter: pipeline.starter.starter, logger: pipeline.logger)
            let fixture = APIFixture(pipeline: pipeline, runner: runner)
            let router = APIServer.router(
                .init(
                    runner: runner, starter: pipeline.starter, store: pipeline.store, monitor: pipeline.monitor,
                    metrics: metrics))
            let app = Application(router: router, logger: pipeline.logger)
            do {
                try await app.test(.live) { client in try await body(client, fixture) }
            } catch {
                await runner.shutdown()
                throw error
            }
            await runner.shutdown()
        }
    }

    var authorized: HTTPFields { [.authorization: "Bearer \(Self.token)"] }
}
