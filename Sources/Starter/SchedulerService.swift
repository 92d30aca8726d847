import Config
import Foundation
import Logging
import ServiceLifecycle

/// The seed's `InMigrationScheduler`: polls `process_tracking` at the configured interval (inside
/// the daily window, when one is set) and streams whatever is ready.
public struct SchedulerService: Service {
    let runner: MigrationRunner
    let options: SchedulerOptions
    let logger: Logger

    public init(runner: MigrationRunner, options: SchedulerOptions, logger: Logger) {
        self.runner = runner
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        logger.info("scheduler started", metadata: ["poll_interval": "\(options.pollInterval.duration)"])
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                if isInsideWindow(Date()) {
                    await runner.runPass()
                }
                try? await Task.sleep(for: options.pollInterval.duration)
            }
        } onGracefulShutdown: {
            logger.info("scheduler stopping")
        }
        await runner.shutdown()
    }

    func isInsideWindow(_ date: Date) -> Bool {
        guard let window = options.window else { return true }
        let parts = Calendar.current.dateComponents([.hour, .minute], from: date)
        return window.contains(hour: parts.hour ?? 0, minute: parts.minute ?? 0)
    }
}
