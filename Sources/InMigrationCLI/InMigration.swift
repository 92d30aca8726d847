import ArgumentParser

/// `inmigration`: moves a customer's daily load from its in-tables into the business-object
/// platform through Kafka.
@main
struct InMigration: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inmigration",
        abstract: "Moves a customer's daily data load into the business-object platform through Kafka.",
        subcommands: [
            ServeCommand.self, RunCommand.self, ConsumeCommand.self, StatusCommand.self, DevBrokerCommand.self, DemoCommand.self,
        ]
    )
}
