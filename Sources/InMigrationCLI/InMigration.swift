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
        tuneMalloc()
        await main(nil)
    }

    /// glibc's allocator keeps what a process frees for reuse, and our batches free a lot; left
    /// to its defaults, `serve` at 1M records held 280-290 MiB while 60-75 MiB of it was in use
    /// (`malloc_stats`). Both settings are made before any thread starts; the matching
    /// `MALLOC_*` variable in the environment still wins.
    ///
    /// - Arenas: glibc gives each thread that allocates its own arena (up to 8 per core), and
    ///   freed batches stay in them: `serve` peaked at 328 MiB with the default and at 209 MiB
    ///   with two. Two were too few once the consumer's lanes assembled on two threads at once:
    ///   threads queued on the arena locks, and four cut the consumer's CPU by a tenth.
    /// - Large blocks: glibc maps a block of 128 KiB or more on its own and unmaps it when freed,
    ///   but each such free raises that threshold to the block's size (up to 32 MiB), so a
    ///   batch's megabyte buffers soon come from the arenas and stay there. A fixed 256 KiB
    ///   keeps them out: `serve` at 1M peaked at 240-254 MiB instead of 280-287, for about 0.5 s
    ///   more system time.
    private static func tuneMalloc() {
        let environment = ProcessInfo.processInfo.environment
        if environment["MALLOC_ARENA_MAX"] == nil {
            mallopt(M_ARENA_MAX, 4)
        }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil {
            mallopt(M_MMAP_THRESHOLD, 256 * 1024)
        }
    }
}
