import ArgumentParser
import Handshake
import Journal
import Starter

/// `inmigration status`: the process_tracking rows and the recent migrations.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show process_tracking and the recent migrations with their progress.")

    @OptionGroup var options: CommonOptions

    @Option(help: "How many rows of each to show.")
    var limit = 10

    func run() async throws {
        try await reportingFailures {
            let configuration = try options.loadConfiguration()
            let runtime = try await StarterRuntime.start(configuration, logger: options.makeLogger("inmigration.status"))
            do {
                try await printStatus(runtime)
                await runtime.close()
            } catch {
                await runtime.close()
                throw error
            }
        }
    }

    private func printStatus(_ runtime: StarterRuntime) async throws {
        print("process_tracking (newest first)")
        print("  id  oper_date   load    stream  occupied_by_process                        heartbeat")
        for row in try await runtime.handshake.rows(limit: limit) {
            print(
                "  \(row.id)  \(row.operDate)  \(row.loadStatus ?? "-")  \(row.insInKafkaStatus ?? "-")  "
                    + "\(row.occupiedByProcess ?? "-")  \(row.periodicUpdateTime ?? "-")")
        }
        print("\nmigrations (newest first)")
        for summary in try await runtime.journal.recentMigrations(limit: limit) {
            guard let report = try await runtime.journal.report(summary.id, errorLimit: 5) else { continue }
            print(
                "  \(report.id)  \(report.operDate)  \(report.status)  streamed \(report.recordsStreamed)  "
                    + "rejected \(report.recordsRejected)  errors \(report.errorCount)"
                    + (report.error.map { "  error: \($0)" } ?? ""))
            for table in report.tables {
                print(
                    "      \(table.table): \(table.status) \(table.rowsStreamed)/\(table.rowsTotal ?? 0)"
                        + (table.rowsRejected > 0 ? " rejected \(table.rowsRejected)" : ""))
            }
        }
    }
}
