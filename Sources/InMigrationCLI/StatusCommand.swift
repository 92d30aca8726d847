import ArgumentParser
import Config
import Foundation
import Handshake
import Journal
import Logging
import Monitor
import Starter

/// `inmigration status`: the process_tracking rows and the recent migrations.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show process_tracking with the safe-to-clear moments, the recent migrations with their progress, and the lag.")

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
        print("  id  oper_date   load  stream  occupied_by_process  safe_to_clear_at  streamed/consumed/rejected")
        for row in try await runtime.handshake.rows(limit: limit) {
            let counts = [row.recordsStreamed, row.recordsConsumed, row.recordsRejected].map { $0.map(String.init) ?? "-" }
            print(
                "  \(row.id)  \(row.operDate)  \(row.loadStatus ?? "-")  \(row.insInKafkaStatus ?? "-")  "
                    + "\(row.occupiedByProcess ?? "-")  \(row.safeToClearAt ?? "not yet")  \(counts.joined(separator: "/"))")
        }
        print("\nmigrations (newest first)")
        for summary in try await runtime.journal.recentMigrations(limit: limit) {
            guard let report = try await runtime.journal.report(summary.id, errorLimit: 5) else { continue }
            print(
                "  \(report.id)  \(report.operDate)  \(report.status)  streamed \(report.recordsStreamed)  "
                    + "rejected \(report.recordsRejected)  errors \(report.errorCount)"
                    + (report.completedAt.map { "  complete at \($0)" } ?? "")
                    + (report.error.map { "  error: \($0)" } ?? ""))
            for table in report.tables {
                print(
                    "      \(table.table): \(table.status) \(table.rowsStreamed)/\(table.rowsTotal ?? 0)"
                        + (table.rowsRejected > 0 ? " rejected \(table.rowsRejected)" : ""))
            }
        }
        try await printLag(runtime.configuration, logger: runtime.logger)
    }

    /// One fresh check of every watched group (no history, so no STALLED or STOPPED verdict).
    private func printLag(_ configuration: InMigrationConfiguration, logger: Logger) async throws {
        let watcher = try LagWatcher(configuration: configuration, logger: logger)
        let report = await watcher.check()
        await watcher.close()
        print("\nlag (checked \(report.checkedAt.formatted(.iso8601)))")
        for group in report.groups {
            print("  \(group.group) on \(group.topic): \(group.status.rawValue), lag \(group.lag) — \(group.reason)")
            for partition in group.partitions where partition.lag > 0 || partition.status != .ok {
                print(
                    "      [\(partition.partition)] committed \(partition.committed.map(String.init) ?? "none") "
                        + "of \(partition.logStart)..<\(partition.end): lag \(partition.lag)"
                        + (partition.reason.map { " — \($0)" } ?? ""))
            }
        }
    }
}
