import Config
import Foundation
import HTTPServer
import Logging
import Monitor
import Prometheus
import ServiceLifecycle
import Starter
import Store
import UnixSignals

/// `inmigration demo --serve`: after the demo, the API, `/metrics` and the dashboard over the
/// demo's data, with the lag watch going on, until SIGTERM or SIGINT.
struct DemoServer {
    var configuration: InMigrationConfiguration
    var starter: StarterRuntime
    var store: any BOIStore
    var monitor: MonitorRuntime
    var metrics: PrometheusCollectorRegistry
    var logger: Logger

    func run() async throws {
        let runner = MigrationRunner(starter: starter.starter, logger: logger)
        let api = APIServer.application(
            .init(runner: runner, starter: starter, store: store, monitor: monitor, metrics: metrics),
            logger: logger
        ) { [host = configuration.http.host] port in
            FileHandle.standardError.write(Data("dashboard: http://\(host):\(port)/\n".utf8))
        }
        let watch = MonitorService(monitor: monitor.monitor, interval: configuration.monitor.interval.duration, logger: logger)
        try await ServiceGroup(
            configuration: .init(
                services: [.init(service: watch), .init(service: api)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
        ).run()
    }
}
