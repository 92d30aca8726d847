import ArgumentParser
import Config
import Consumer
import DDL
import DemoData
import Domain
import Foundation
import Handshake
import Kafka
import Logging
import Monitor
import Postgres
import Starter
import Store

/// `inmigration demo`: the whole pipeline on sample data, against the configured PostgreSQL and
/// an embedded broker, for two operational days. Prints a summary per day; the last line is one
/// JSON object with the counts of the whole demo.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Load sample in-tables for two days, run the whole pipeline against an embedded broker, summarise (and serve the dashboard).")

    @OptionGroup var options: CommonOptions

    @Option(help: "The oper_date of the demo's first day (the second is the day after).")
    var operDate = "2026-11-20"

    @Flag(help: "After the summary, keep serving the API, /metrics and the dashboard until SIGTERM or SIGINT.")
    var serve = false

    func run() async throws {
        try await reportingFailures {
            var configuration = try options.loadConfiguration()
            guard let first = OperDate(rawValue: operDate), let second = first.next else {
                throw CommandFailure(message: "--oper-date '\(operDate)' is not a date written YYYY-MM-DD")
            }
            let logger = options.makeLogger("inmigration.demo")
            let metrics = MetricsBootstrap.prometheus()
            let cluster = try KafkaMockCluster(brokers: 1, logger: logger)
            defer { cluster.close() }
            for topic in configuration.kafka.topics.all {
                try cluster.createTopic(topic, partitions: configuration.kafka.partitions)
            }
            configuration.kafka.bootstrapServers = cluster.bootstrapServers
            print("embedded broker at \(cluster.bootstrapServers)")

            let customer = DemoCustomer(url: configuration.source.url, logger: logger)
            try await customer.createTables()
            let starter = try await StarterRuntime.start(configuration, logger: logger)
            let store = try await StoreFactory.make(configuration, logger: logger)
            let monitor = try await MonitorRuntime.start(configuration, store: store, logger: logger)
            // The lag watch runs through the whole demo, as in `serve`: the dashboard's chart shows the days.
            let watchService = MonitorService(
                monitor: monitor.monitor, interval: configuration.monitor.interval.duration, logger: logger)
            let watch = Task { try await watchService.run() }
            defer { watch.cancel() }
            do {
                // The platform's contract_status classifier, which CO fields resolve against.
                try await store.seedCatalog([
                    CatalogKey(catalog: "contract_status", code: "DRAFT"): "co-contract-status-draft",
                    CatalogKey(catalog: "contract_status", code: "ACTIVE"): "co-contract-status-active",
                    CatalogKey(catalog: "contract_status", code: "CLOSED"): "co-contract-status-closed",
                ])
                var days: [DemoDay] = []
                for (day, load) in [(first, DemoData.day1), (second, DemoData.day2)] {
                    try await customer.load(load, day: day)
                    days.append(
                        try await run(
                            day, configuration: configuration, starter: starter, store: store, monitor: monitor,
                            logger: logger))
                    print(days[days.count - 1].text)
                }
                let events = try KafkaTopicSnapshot.read(
                    bootstrapServers: cluster.bootstrapServers, topic: configuration.kafka.topics.boi, logger: logger,
                    timeout: .seconds(30))
                let lag = await monitor.monitor.lag.check()
                print(try DemoDay.summaryJSON(days, eventsOnTopic: events.count, lag: lag))
                if serve {
                    try await DemoServer(
                        configuration: configuration, starter: starter, store: store, monitor: monitor, metrics: metrics,
                        logger: logger
                    ).run()
                }
            } catch {
                await monitor.close()
                await starter.close()
                await customer.close()
                throw error
            }
            await monitor.close()
            await starter.close()
            await customer.close()
        }
    }

    /// One operational day: stream what the customer loaded, then a consumer (as `inmigration
    /// consume --until-idle` would) runs until the lag is 0 and the migration is complete.
    private func run(
        _ day: OperDate, configuration: InMigrationConfiguration, starter: StarterRuntime, store: any BOIStore,
        monitor: MonitorRuntime, logger: Logger
    ) async throws -> DemoDay {
        let bar = ProgressBar()
        guard let stream = try await starter.starter.runUntilIdle(operDate: day, observer: { _, tables in bar.draw(tables) }).first
        else {
            throw CommandFailure(message: "oper_date \(day) was not claimed: is another instance running on this database?")
        }
        let consumer = try ConsumerRuntime.start(configuration, store: store, logger: logger)
        do {
            try await consumer.consumer.run(untilIdle: true) { await monitor.monitor.settled() }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        return DemoDay(
            day: day, stream: stream, consume: try await store.consumeReport(stream.migrationID),
            tracking: try await starter.handshake.row(id: stream.trackingID))
    }
}

extension OperDate {
    /// The calendar day after this one.
    var next: OperDate? {
        let parts = rawValue.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2] + 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components) else { return nil }
        let next = calendar.dateComponents([.year, .month, .day], from: date)
        return OperDate(
            rawValue: String(format: "%04d-%02d-%02d", next.year ?? 0, next.month ?? 0, next.day ?? 0))
    }
}
