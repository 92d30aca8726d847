import Config
import Consumer
import Domain
import Foundation
import IntegrationSupport
import Kafka
import Logging
import Monitor
import Postgres
import PostgresStore
import Starter
import Testing

/// One test's pipeline with its monitor: a fresh database with the sample in-tables, an
/// embedded broker, the starter, the store and a monitor wired as the CLI wires them.
struct CompletionFixture {
    let database: TestDatabase
    let broker: EmbeddedBroker
    let source: SampleSource
    let configuration: InMigrationConfiguration
    let starter: StarterRuntime
    let store: PostgresBOIStore
    let monitor: MonitorRuntime

    static let logger: Logger = {
        var logger = Logger(label: "test.completion")
        logger.logLevel = .error
        return logger
    }()

    static func with(partitions: Int32 = 2, _ body: (CompletionFixture) async throws -> Void) async throws {
        let database = try await TestDatabase.create()
        let broker = try EmbeddedBroker(partitions: partitions)
        let source = SampleSource(url: database.url)
        var started: (StarterRuntime, MonitorRuntime)?
        do {
            try await source.createTables()
            var configuration = try TestConfiguration.make(databaseURL: database.url, bootstrapServers: broker.bootstrapServers)
            configuration.kafka.partitions = partitions
            let starter = try await StarterRuntime.start(configuration, claimedBy: "test", logger: logger)
            let store = PostgresBOIStore(
                client: PostgresClient(conninfo: database.url, logger: logger), schema: configuration.store.schema,
                logger: logger)
            try await store.install(mapping: configuration.mapping)
            let monitor = try await MonitorRuntime.start(configuration, store: store, logger: logger)
            started = (starter, monitor)
            try await body(
                CompletionFixture(
                    database: database, broker: broker, source: source, configuration: configuration, starter: starter,
                    store: store, monitor: monitor))
        } catch {
            await started?.1.close()
            await started?.0.close()
            await source.close()
            broker.close()
            await database.drop()
            throw error
        }
        await started?.1.close()
        await started?.0.close()
        await source.close()
        broker.close()
        await database.drop()
    }

    /// Streams a signalled day.
    func stream(_ day: OperDate) async throws -> StreamReport {
        guard let report = try await starter.starter.runUntilIdle(operDate: day).first else {
            throw TestSupportError("\(day) was not claimed")
        }
        return report
    }

    /// A fresh group member consumes until the group's lag is 0 (no completion asked for).
    func consume() async throws {
        let runtime = try ConsumerRuntime.start(configuration, store: store, logger: Self.logger)
        do {
            try await runtime.consumer.run(untilIdle: true)
        } catch {
            await runtime.close()
            throw error
        }
        await runtime.close()
    }

    /// The journal row of a migration: status, completed_at, error.
    func journalRow(_ id: MigrationID) async throws -> PostgresRow {
        guard
            let row = try await source.client.execute(
                """
                SELECT status, completed_at::text AS completed_at, error, records_consumed, signalled_at::text AS signalled_at
                FROM inmigration.migration WHERE id = $1
                """, [id.rawValue]
            ).first
        else { throw TestSupportError("no migration \(id)") }
        return row
    }

    func trackingRow(_ id: Int64) async throws -> PostgresRow {
        guard
            let row = try await source.client.execute(
                """
                SELECT ins_inkafka_status, safe_to_clear_at::text AS safe_to_clear_at, records_streamed, records_consumed,
                       records_rejected, refs_dangling
                FROM process_tracking WHERE id = $1
                """, [String(id)]
            ).first
        else { throw TestSupportError("no process_tracking row \(id)") }
        return row
    }
}

extension OperDate {
    static let day1 = OperDate(rawValue: "2026-11-20")!
}
