import ArgumentParser
import Config
import Consumer
import Journal
import Postgres

/// `inmigration consume`: a member of the consumer group `in_migration`.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Consume IN_MIGRATION: assemble instances, resolve references, publish changes to BOI.")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Exit when the group's lag on IN_MIGRATION is 0 and every change is published.")
    var untilIdle = false

    @Option(help: "Messages per batch.")
    var batchSize = 5_000

    func run() async throws {
        try await reportingFailures {
            let configuration = try options.loadConfiguration()
            let logger = options.makeLogger("inmigration.consume")
            let journalClient = PostgresClient(conninfo: configuration.storeURL, logger: logger)
            try await Journal(client: journalClient, schema: configuration.store.schema, logger: logger).install()
            await journalClient.close()
            let store = try await StoreFactory.make(configuration, logger: logger)
            let runtime = try ConsumerRuntime.start(configuration, store: store, batchSize: batchSize, logger: logger)
            do {
                try await runtime.consumer.run(untilIdle: untilIdle)
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }
    }
}
