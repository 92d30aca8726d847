import Logging
import ServiceLifecycle

/// The monitor as a long-running service of `inmigration serve`: a round every interval. The
/// readers stay open; ``MonitorRuntime/close()`` closes them.
public struct MonitorService: Service {
    let monitor: Monitor
    let interval: Duration
    let logger: Logger

    public init(monitor: Monitor, interval: Duration, logger: Logger) {
        self.monitor = monitor
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await monitor.round()
                } catch is CancellationError {
                    return
                } catch {
                    // The lag report says ERROR by itself; a database error here only delays a verdict.
                    logger.error("monitor round failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
