import Logging
import ServiceLifecycle

/// The consumer as a long-running service of `inmigration serve`.
public struct ConsumerService: Service {
    let consumer: InMigrationConsumer
    let caughtUp: @Sendable () -> Void
    let logger: Logger

    /// - Parameter caughtUp: see ``InMigrationConsumer/run(untilIdle:finished:caughtUp:)``.
    public init(consumer: InMigrationConsumer, caughtUp: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.consumer = consumer
        self.caughtUp = caughtUp
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await consumer.run(caughtUp: caughtUp)
            } catch is CancellationError {
                // Shutdown: the last committed batch is where the next start resumes.
            }
        }
        await consumer.close()
    }
}
