import Logging
import ServiceLifecycle

/// The monitor as a long-running service of `inmigration serve`: a round every interval, and one
/// as soon as the consumer rings that it has caught up. The readers stay open;
/// ``MonitorRuntime/close()`` closes them.
public struct MonitorService: Service {
    let monitor: Monitor
    let interval: Duration
    let wakeUp: MonitorWakeUp
    let logger: Logger

    /// - Parameter wakeUp: rung (by the consumer in `serve`) for a round before the interval is up.
    public init(monitor: Monitor, interval: Duration, wakeUp: MonitorWakeUp = MonitorWakeUp(), logger: Logger) {
        self.monitor = monitor
        self.interval = interval
        self.wakeUp = wakeUp
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
                await wakeUp.wait(upTo: interval)
            }
        }
    }
}
