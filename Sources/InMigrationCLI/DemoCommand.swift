import ArgumentParser
import Config
import DDL
import DemoData
import Domain
import Foundation
import Kafka
import Logging
import Postgres
import Starter

/// `inmigration demo`: the whole pipeline on sample data, against the configured PostgreSQL and
/// an embedded broker. Prints a summary per day; the last line is one JSON object with the counts.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load sample in-tables, signal the handshake, run the pipeline against an embedded broker, summarise.")

    @OptionGroup var options: CommonOptions

    @Option(help: "The oper_date of the demo's day 1.")
    var operDate = "2026-11-20"

    func run() async throws {
        try await reportingFailures {
            var configuration = try options.loadConfiguration()
            guard let day = OperDate(rawValue: operDate) else {
                throw CommandFailure(message: "--oper-date '\(operDate)' is not a date written YYYY-MM-DD")
            }
            let logger = options.makeLogger("inmigration.demo")
            let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
            defer { cluster.close() }
            for topic in configuration.kafka.topics.all {
                try cluster.createTopic(topic, partitions: configuration.kafka.partitions)
            }
            configuration.kafka.bootstrapServers = cluster.bootstrapServers
            print("embedded broker at \(cluster.bootstrapServers)")

            try await loadDay(day, sourceURL: configuration.source.url, logger: logger)
            print("day 1 (\(day)): sample in-tables loaded, process_tracking signalled")

            let runtime = try await StarterRuntime.start(configuration, logger: logger)
            let bar = ProgressBar()
            let reports: [StreamReport]
            do {
                reports = try await runtime.starter.runUntilIdle(operDate: day, observer: { _, tables in bar.draw(tables) })
                await runtime.close()
            } catch {
                await runtime.close()
                throw error
            }
            guard let report = reports.first else {
                throw CommandFailure(message: "the demo's day was not claimed: is another instance running on this database?")
            }
            print(StreamSummary.text(report))

            let messages = try KafkaTopicSnapshot.read(
                bootstrapServers: cluster.bootstrapServers, topic: configuration.kafka.topics.inMigration,
                logger: logger, timeout: .seconds(30))
            let onTopic = DemoCount.count(messages, migration: report.migrationID)
            print("on \(configuration.kafka.topics.inMigration): \(onTopic.records) records, \(onTopic.markers) markers")
            print(try DemoCount.summaryJSON(report: report, onTopic: onTopic))
        }
    }

    /// Creates the customer's tables, fills day 1 and signals the handshake, as a customer would.
    private func loadDay(_ day: OperDate, sourceURL: String, logger: Logger) async throws {
        let source = PostgresClient(conninfo: sourceURL, logger: logger)
        try await source.execute(DDL.processTracking)
        try await source.execute(DDL.sampleInTables)
        try await source.execute(DemoData.day1)
        try await source.execute("DELETE FROM process_tracking WHERE oper_date = $1::date", [day.rawValue])
        try await source.execute(
            """
            INSERT INTO process_tracking (oper_date, start_load_time, end_load_time, load_status)
            VALUES ($1::date, now() - interval '5 minutes', now(), 'DONE')
            """,
            [day.rawValue])
        await source.close()
    }
}
