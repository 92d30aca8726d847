import ArgumentParser
import Config
import Consumer
import Logging
import Monitor

/// `inmigration consume`: a member of the consumer group `in_migration`.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Consume IN_MIGRATION: assemble instances, resolve references, publish changes to BOI.")

    @OptionGroup var options: CommonOptions

    @Flag(
        help: "Exit when the group's lag on IN_MIGRATION is 0, every change is published and every started migration is complete.")
    var untilIdle = false

    @Option(help: "Messages polled at once, shared among the lanes (default: consumer.batchSize of the configuration, 5000).")
    var batchSize: Int?

    func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        try await reportingFailures {
            var configuration = try options.loadConfiguration()
            if let batchSize { configuration.consumer.batchSize = batchSize }
            let logger = options.makeLogger("inmigration.consume")
            let store = try await StoreFactory.make(configuration, logger: logger)
            let monitor = try await MonitorRuntime.start(configuration, store: store, logger: logger)
            let runtime: ConsumerRuntime
            do {
                runtime = try ConsumerRuntime.start(configuration, store: store, logger: logger)
            } catch {
                await monitor.close()
                throw error
            }
            do {
                try await runtime.consumer.run(untilIdle: untilIdle) { await monitor.monitor.settled() }
            } catch {
                await runtime.close()
                await monitor.close()
                throw error
            }
            await runtime.close()
            await monitor.close()
        }
    }
}
