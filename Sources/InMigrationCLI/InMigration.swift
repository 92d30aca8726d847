import ArgumentParser
import CMalloc
import Foundation

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

    static func main() async {
        limitMallocArenas()
        await main(nil)
    }

    /// glibc gives each thread that allocates its own malloc arena (up to 8 per core), and freed
    /// batches stay in them: `serve` at 1M records peaked at 328 MiB with the default and at
    /// 209 MiB with two arenas (`scripts/bench`). Two were too few once the consumer's lanes
    /// assembled on two threads at once: threads queued on the arena locks, and four arenas cut
    /// the consumer's CPU by a tenth. Set before any thread starts; `MALLOC_ARENA_MAX` in the
    /// environment still wins.
    private static func limitMallocArenas() {
        if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil {
            mallopt(M_ARENA_MAX, 4)
        }
    }
}
