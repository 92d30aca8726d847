import Config
import Domain
import Foundation
import IntegrationSupport
import Kafka
import Logging
import Postgres
import Starter
import Testing

/// The consumer killed with SIGKILL at random points and restarted must end where a clean run
/// ends: the same store, and the same BOI events up to exact repeats.
///
/// Both runs read the very same IN_MIGRATION messages (one stream, two consumer groups), each
/// into its own database and its own BOI topic. IN_MIGRATION has one partition here, so that the
/// order in which records meet is the same in both runs: with several partitions, which of two
/// records in different partitions comes first is up to the broker, and that changes event
/// versions even in two clean runs.
@Suite("Consumer killed with SIGKILL", .serialized, .enabled(if: TestDatabase.isAvailable))
struct ConsumerKillTests {
    @Test(.timeLimit(.minutes(6)))
    func killedAtRandomPointsEndsLikeACleanRun() async throws {
        let logger = Logger(label: "test.kill")
        let broker = try EmbeddedBroker(
            partitions: 1, topics: ["IN_MIGRATION", "IN_MIGRATION_DLQ", "BOI_CLEAN", "BOI_KILLED"])
        let source = try await TestDatabase.create()
        let clean = try await TestDatabase.create()
        let killed = try await TestDatabase.create()
        let customer = SampleSource(url: source.url)
        defer { broker.close() }
        do {
            try await customer.createTables()
            try await customer.generate(people: 3_000)
            try await customer.addDuplicatesAndRemovals()
            try await customer.signal(OperDate(rawValue: "2026-11-20")!)
            let configuration = try TestConfiguration.make(
                databaseURL: source.url, bootstrapServers: broker.bootstrapServers)
            let starter = try await StarterRuntime.start(configuration, claimedBy: "test", logger: logger)
            let stream = try #require(try await starter.starter.runUntilIdle().first)
            await starter.close()

            // Each consumer's own database plays the customer's too: the monitor writes the
            // safe-to-clear moment into its process_tracking (which has no rows here).
            for database in [clean, killed] {
                let tables = SampleSource(url: database.url)
                try await tables.createTables()
                await tables.close()
            }
            let cleanRun = try ConsumerRun(name: "clean", database: clean.url, broker: broker.bootstrapServers)
            defer { cleanRun.removeConfigFile() }
            #expect(try cleanRun.consume().status == 0)

            let killedRun = try ConsumerRun(name: "killed", database: killed.url, broker: broker.bootstrapServers)
            defer { killedRun.removeConfigFile() }
            var generator = SeededGenerator(seed: 20261121)
            var kills = 0
            for _ in 0..<10 {
                let process = try killedRun.start()
                let delay = Int.random(in: 2_500...5_500, using: &generator)
                try await Task.sleep(for: .milliseconds(delay))
                if process.process.isRunning {
                    kill(process.process.processIdentifier, SIGKILL)
                    kills += 1
                }
                process.process.waitUntilExit()
                process.removeFiles()
            }
            let last = try killedRun.consume()
            #expect(last.status == 0, "the last run failed: \(last.stderr)")
            #expect(kills >= 5, "too few kills landed mid-run (\(kills)); the data set is too small")

            let killedDump = try await StoreDump.of(killed.url)
            let cleanDump = try await StoreDump.of(clean.url)
            #expect(
                killedDump == cleanDump,
                "only after kills: \(Set(killedDump).subtracting(cleanDump).sorted().prefix(5)); only clean: \(Set(cleanDump).subtracting(killedDump).sorted().prefix(5))"
            )
            let cleanEvents = try broker.messages(on: "BOI_CLEAN").map { String(decoding: $0.value, as: UTF8.self) }
            let killedEvents = try broker.messages(on: "BOI_KILLED").map { String(decoding: $0.value, as: UTF8.self) }
            #expect(Set(cleanEvents).count == cleanEvents.count, "a clean run publishes every event once")
            #expect(Self.firstOccurrences(killedEvents) == cleanEvents)
            #expect(Self.repeatsAreExact(killedEvents))
            #expect(stream.recordsStreamed > 4_000)
        } catch {
            await customer.close()
            for database in [source, clean, killed] { await database.drop() }
            throw error
        }
        await customer.close()
        for database in [source, clean, killed] { await database.drop() }
    }

    /// Each event id once, in the order first seen.
    static func firstOccurrences(_ events: [String]) -> [String] {
        var seen = Set<String>()
        return events.filter { seen.insert(eventID($0)).inserted }
    }

    /// Every repeat of an event id is byte for byte the first one.
    static func repeatsAreExact(_ events: [String]) -> Bool {
        var first: [String: String] = [:]
        for event in events {
            let id = eventID(event)
            if let earlier = first[id], earlier != event { return false }
            first[id] = event
        }
        return true
    }

    static func eventID(_ event: String) -> String {
        (try? JSONDecoder().decode(BOIEvent.self, from: Data(event.utf8)).eventId) ?? event
    }
}

/// A consumer group member of one run, as a separate `inmigration consume` process.
struct ConsumerRun {
    let name: String
    let configFile: String
    let environment: [String: String]

    init(name: String, database: String, broker: String) throws {
        self.name = name
        let example = try String(contentsOfFile: TestConfiguration.exampleFile, encoding: .utf8)
        let yaml = example.replacingOccurrences(of: "    boi: BOI\n", with: "    boi: BOI_\(name.uppercased())\n")
        precondition(yaml != example, "the example configuration no longer names the BOI topic as expected")
        configFile = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(name)-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: configFile, atomically: true, encoding: .utf8)
        environment = [
            "INMIGRATION_SOURCE_URL": database, "INMIGRATION_STORE_URL": database, "INMIGRATION_KAFKA_BOOTSTRAP": broker,
            "INMIGRATION_KAFKA_GROUP": "group_\(name)",
        ]
    }

    var arguments: [String] {
        ["consume", "--until-idle", "--batch-size", "300", "--config", configFile, "--log-level", "error"]
    }

    func consume() throws -> CLIProcess.Result { try CLIProcess.run(arguments, environment: environment) }

    func start() throws -> CLIProcess.Running { try CLIProcess.start(arguments, environment: environment) }

    func removeConfigFile() { try? FileManager.default.removeItem(atPath: configFile) }
}

/// The product's tables of one database, one line per row.
enum StoreDump {
    static func of(_ url: String) async throws -> [String] {
        let client = PostgresClient(conninfo: url, logger: Logger(label: "test.dump"))
        var lines: [String] = []
        for (name, query) in [
            ("instance", "SELECT boi_id, bo, external_id, document::text, actual, version FROM inmigration.boi_instance ORDER BY boi_id"),
            ("map", "SELECT bo, external_id, boi_id FROM inmigration.boi_external_id ORDER BY bo, external_id"),
            ("parked", "SELECT source_boi_id, field, position, target_bo, target_external_id FROM inmigration.boi_reference ORDER BY 1, 2, 3"),
            ("stats", "SELECT migration_id, table_name, records, created, updated, unchanged, merged, removed, skipped, rejected, refs_parked, refs_resolved, boi_events FROM inmigration.consume_stats ORDER BY migration_id, table_name"),
            ("error", "SELECT table_name, external_id, field, reason FROM inmigration.migration_error ORDER BY 1, 2, 3, 4"),
            ("outbox", "SELECT count(*) FROM inmigration.outbox_batch"),
        ] {
            let rows = try await client.execute(query)
            lines += rows.map { row in name + " " + (0..<rows.columns.count).map { row[$0] ?? "NULL" }.joined(separator: " | ") }
        }
        await client.close()
        return lines
    }
}

/// A deterministic random number generator (SplitMix64), so a failing run can be repeated.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
