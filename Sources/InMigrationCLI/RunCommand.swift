import ArgumentParser
import Domain
import Foundation
import Starter

/// `inmigration run --once`: claim what is ready, stream it, exit (non-zero on failure).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Claim the ready day(s) in process_tracking, stream them to IN_MIGRATION, exit.")

    @OptionGroup var options: CommonOptions

    @Flag(help: "One pass: stream every ready day once, then exit (the only mode so far).")
    var once = false

    @Option(help: "Stream only this oper_date (YYYY-MM-DD); retries it if it had failed.")
    var operDate: String?

    func validate() throws {
        guard once else { throw ValidationError("run needs --once (the continuous mode is `inmigration serve`)") }
        if let operDate, OperDate(rawValue: operDate) == nil {
            throw ValidationError("--oper-date '\(operDate)' is not a date written YYYY-MM-DD")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let configuration = try options.loadConfiguration()
            let logger = options.makeLogger("inmigration.run")
            let runtime = try await StarterRuntime.start(configuration, logger: logger)
            let bar = ProgressBar()
            do {
                let reports = try await runtime.starter.runUntilIdle(
                    operDate: operDate.flatMap(OperDate.init(rawValue:)), observer: { _, tables in bar.draw(tables) })
                await runtime.close()
                if reports.isEmpty { print("nothing ready to migrate") }
                for report in reports { print(StreamSummary.text(report)) }
            } catch {
                await runtime.close()
                throw error
            }
        }
    }
}
