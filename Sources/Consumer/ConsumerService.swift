import Logging
import ServiceLifecycle

/// The consumer as a long-running service of `inmigration serve`.
public struct ConsumerService: Service {
    let consumer: InMigrationConsumer
    let logger: Logger

    public init(consumer: InMigrationConsumer, logger: Logger) {
        self.consumer = consumer
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await consumer.run()
            } catch is CancellationError {
                // Shutdown: the last committed batch is where the next start resumes.
            }
        }
        await consumer.close()
    }
}
