import Config
import Domain
import Foundation
import Handshake
import IntegrationSupport
import Journal
import Kafka
import Logging
import Postgres
import Starter
import Testing

/// One test's world: a fresh database with the sample in-tables, an embedded broker, and the
/// starter wired as the CLI wires it.
struct StarterFixture {
    let database: TestDatabase
    let broker: EmbeddedBroker
    let source: SampleSource
    let configuration: InMigrationConfiguration

    static func make(
        partitions: Int32 = 4, adjust: (inout InMigrationConfiguration) -> Void = { _ in }
    ) async throws -> StarterFixture {
        let database = try await TestDatabase.create()
        let broker = try EmbeddedBroker(partitions: partitions)
        let source = SampleSource(url: database.url)
        try await source.createTables()
        let configuration = try TestConfiguration.make(
            databaseURL: database.url, bootstrapServers: broker.bootstrapServers, adjust: adjust)
        return StarterFixture(database: database, broker: broker, source: source, configuration: configuration)
    }

    /// Runs `body` in a fresh fixture with a started runtime, and tears both down whatever happens.
    /// - Parameter prepare: runs before the runtime starts (and discovers the in-tables).
    static func with(
        partitions: Int32 = 4, adjust: (inout InMigrationConfiguration) -> Void = { _ in },
        prepare: (StarterFixture) async throws -> Void = { _ in },
        _ body: (StarterFixture, StarterRuntime) async throws -> Void
    ) async throws {
        let fixture = try await make(partitions: partitions, adjust: adjust)
        let runtime: StarterRuntime
        do {
            try await prepare(fixture)
            runtime = try await fixture.runtime()
        } catch {
            await fixture.tearDown()
            throw error
        }
        do {
            try await body(fixture, runtime)
        } catch {
            await runtime.close()
            await fixture.tearDown()
            throw error
        }
        await runtime.close()
        await fixture.tearDown()
    }

    func runtime(claimedBy: String = "test") async throws -> StarterRuntime {
        var logger = Logger(label: "test.starter")
        logger.logLevel = .warning
        return try await StarterRuntime.start(configuration, claimedBy: claimedBy, logger: logger)
    }

    /// The messages of one migration on IN_MIGRATION, decoded.
    func messages(of migration: MigrationID) throws -> [(message: KafkaMessage, decoded: InMigrationMessage)] {
        try broker.messages(on: configuration.kafka.topics.inMigration).compactMap { message in
            let decoded = try JSONDecoder().decode(InMigrationMessage.self, from: Data(message.value))
            switch decoded {
            case .record(let record) where record.migrationId == migration: return (message, decoded)
            case .refCheck(let marker) where marker.migrationId == migration: return (message, decoded)
            default: return nil
            }
        }
    }

    /// The process_tracking row, as a dictionary of text values.
    func trackingRow(_ id: Int64) async throws -> PostgresRow {
        guard
            let row = try await source.client.execute(
                """
                SELECT oper_date::text AS oper_date, load_status, start_ins_inkafka_time::text AS start_ins_inkafka_time,
                       end_ins_inkafka_time::text AS end_ins_inkafka_time, ins_inkafka_status, occupied_by_process,
                       migrate_cur_date::text AS migrate_cur_date, periodic_update_time::text AS periodic_update_time
                FROM process_tracking WHERE id = $1
                """, [String(id)]
            ).first
        else { throw TestSupportError("no process_tracking row \(id)") }
        return row
    }

    func tearDown() async {
        await source.close()
        broker.close()
        await database.drop()
    }
}

extension OperDate {
    static let day1 = OperDate(rawValue: "2026-11-20")!
    static let day2 = OperDate(rawValue: "2026-11-21")!
    static let day3 = OperDate(rawValue: "2026-11-22")!
    static let day4 = OperDate(rawValue: "2026-11-23")!
}

/// A separate connection, as another instance would have.
enum PostgresClientFactory {
    static func make(_ url: String) -> PostgresClient {
        PostgresClient(conninfo: url, logger: Logger(label: "test.connection"))
    }
}

/// `url` with session settings for its connections, as a customer's role or database would set
/// them (`-c name=value`, each percent-encoded as a URL wants it).
func connectionURL(_ url: String, settings: [String]) -> String {
    let options = settings.map { "-c%20" + $0.replacingOccurrences(of: "=", with: "%3D") }.joined(separator: "%20")
    return url + (url.contains("?") ? "&" : "?") + "options=" + options
}
