import Domain
import Foundation
import IntegrationSupport
import Postgres
import Testing

@Suite("dev-broker, run --once, consume --until-idle and status as separate processes", .serialized, .enabled(if: TestDatabase.isAvailable))
struct DevBrokerProcessTests {
    @Test(.timeLimit(.minutes(2)))
    func theWholePipelineThroughTheDevBroker() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("devbroker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let addressFile = directory.appendingPathComponent("broker.addr").path
        let broker = try CLIProcess.start(
            ["dev-broker", "--partitions", "3", "--bootstrap-file", addressFile])
        defer { broker.removeFiles() }
        defer { if broker.process.isRunning { broker.process.terminate() } }
        var address: String?
        for _ in 0..<100 where address == nil {
            address = try? String(contentsOfFile: addressFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            if address == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let bootstrap = try #require(address, "the dev broker wrote no address: \(broker.errors())")
        #expect(bootstrap.hasPrefix("127.0.0.1:"))
        #expect(broker.output().hasPrefix(bootstrap))

        let database = try await TestDatabase.create()
        let source = SampleSource(url: database.url)
        do {
            try await source.createTables()
            try await source.generate(people: 100)
            try await source.signal(.init(rawValue: "2026-11-20")!)
            let environment = [
                "INMIGRATION_SOURCE_URL": database.url, "INMIGRATION_STORE_URL": database.url,
                "INMIGRATION_KAFKA_BOOTSTRAP_FILE": addressFile,
            ]
            let run = try CLIProcess.run(
                ["run", "--once", "--config", TestConfiguration.exampleFile, "--log-level", "error"],
                environment: environment)
            #expect(run.status == 0, "run --once failed: \(run.stderr)")
            #expect(run.stdout.contains("in_person"))
            let summary = try #require(run.stdout.split(separator: "\n").first { $0.contains("records acknowledged") })
            #expect(summary.contains("\(100 + 10 + 1 + 50) records acknowledged"))
            let status = try await source.client.execute("SELECT ins_inkafka_status FROM process_tracking")
            #expect(status.first?["ins_inkafka_status"] == "DONE")

            let again = try CLIProcess.run(
                ["run", "--once", "--config", TestConfiguration.exampleFile], environment: environment)
            #expect(again.status == 0)
            #expect(again.stdout.contains("nothing ready"))

            // The consumer exits once the lag is 0 and the migration is complete; the customer
            // then finds the safe-to-clear moment in process_tracking, and `status` shows it.
            let consume = try CLIProcess.run(
                ["consume", "--until-idle", "--config", TestConfiguration.exampleFile, "--log-level", "error"],
                environment: environment, timeout: .seconds(90))
            #expect(consume.status == 0, "consume --until-idle failed: \(consume.stderr)")
            let row = try #require(
                try await source.client.execute(
                    "SELECT safe_to_clear_at::text AS at, records_streamed, records_consumed FROM process_tracking"
                ).first)
            let moment = try #require(row["at"], "no safe_to_clear_at after consume --until-idle")
            #expect(row.int64("records_streamed") == 161)
            #expect(row.int64("records_consumed") == 161)
            let report = try CLIProcess.run(
                ["status", "--config", TestConfiguration.exampleFile, "--log-level", "error"], environment: environment,
                timeout: .seconds(60))
            #expect(report.status == 0, "status failed: \(report.stderr)")
            #expect(report.stdout.contains(moment))
            #expect(report.stdout.contains("COMPLETE"))
            #expect(report.stdout.contains("in_migration on IN_MIGRATION: OK, lag 0"))
        } catch {
            await source.close()
            await database.drop()
            throw error
        }
        await source.close()
        await database.drop()

        broker.process.terminate()
        broker.process.waitUntilExit()
        #expect(broker.process.terminationStatus == 0, "dev-broker did not stop cleanly: \(broker.errors())")
        #expect(!FileManager.default.fileExists(atPath: addressFile))
    }
}
