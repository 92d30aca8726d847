import ArgumentParser
import Consumer
import Config
import HTTPServer
import Hummingbird
import Logging
import Monitor
import ServiceLifecycle
import Starter
import UnixSignals

/// `inmigration serve`: the scheduler, a consumer of the group and the HTTP API, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the scheduler, the consumer, the lag watch and the HTTP API (with /metrics and the dashboard) until stopped.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await reportingFailures {
            let configuration = try options.loadConfiguration()
            let logger = options.makeLogger("inmigration.serve")
            let runtime = try await StarterRuntime.start(configuration, logger: logger)
            let runner = MigrationRunner(starter: runtime.starter, logger: logger)
            let scheduler = SchedulerService(runner: runner, options: configuration.scheduler, logger: logger)
            let metrics = MetricsBootstrap.prometheus()
            let store = try await StoreFactory.make(configuration, logger: logger)
            let monitor = try await MonitorRuntime.start(configuration, store: store, logger: logger)
            let consumer = try ConsumerRuntime.start(configuration, store: store, logger: logger)
            let api = APIServer.application(
                .init(runner: runner, starter: runtime, store: store, monitor: monitor, metrics: metrics),
                logger: logger
            ) { [host = configuration.http.host] port in
                logger.notice("listening", metadata: ["url": "http://\(host):\(port)/"])
            }
            // The consumer rings the monitor when it has caught up: safe to clear is written then,
            // not up to an interval later.
            let wakeUp = MonitorWakeUp()
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: scheduler),
                        .init(
                            service: ConsumerService(
                                consumer: consumer.consumer, caughtUp: { wakeUp.ring() }, logger: logger)),
                        .init(
                            service: MonitorService(
                                monitor: monitor.monitor, interval: configuration.monitor.interval.duration,
                                wakeUp: wakeUp, logger: logger)),
                        .init(service: api),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            do {
                try await group.run()
            } catch {
                await consumer.close()
                await monitor.close()
                await runtime.close()
                throw error
            }
            await consumer.close()
            await monitor.close()
            await runtime.close()
        }
    }
}
