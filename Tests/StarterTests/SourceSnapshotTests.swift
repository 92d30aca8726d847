import Domain
import IntegrationSupport
import Logging
import Postgres
import Testing

@testable import Starter

@Suite("One view of the source for a whole migration", .serialized, .enabled(if: TestDatabase.isAvailable))
struct SourceSnapshotTests {
    private static let logger = Logger(label: "test")

    private func withTable(_ body: (_ url: String, _ writer: PostgresClient) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let writer = PostgresClient(conninfo: database.url, logger: Self.logger)
            try await writer.execute("CREATE TABLE in_thing (external_id text PRIMARY KEY, code text)")
            try await writer.execute("INSERT INTO in_thing VALUES ('T-1', 'a'), ('T-2', 'b')")
            try await body(database.url, writer)
            await writer.close()
        }
    }

    private func rows(_ reader: PostgresClient, in snapshot: SourceSnapshot? = nil) async throws -> [String] {
        try await reader.withConnection { connection in
            let query = "SELECT external_id || ':' || code AS row FROM in_thing ORDER BY external_id"
            let rows = try snapshot.map { snapshot in try snapshot.read(on: connection) { try $0.execute(query) } }
                ?? connection.execute(query)
            return rows.compactMap { $0["row"] }
        }
    }

    /// A row inserted, one updated and one deleted after the export: readers on other connections
    /// still see the table as it was, on every read, while reads outside the snapshot see the change.
    @Test(.timeLimit(.minutes(1)))
    func readersSeeTheSourceAsItWasWhenTheSnapshotWasTaken() async throws {
        try await withTable { url, writer in
            let snapshot = try await SourceSnapshot.export(for: .generate(), conninfo: url, logger: Self.logger)
            let readers = [
                PostgresClient(conninfo: url, logger: Self.logger), PostgresClient(conninfo: url, logger: Self.logger),
            ]
            try await writer.execute("INSERT INTO in_thing VALUES ('T-3', 'c')")
            try await writer.execute("UPDATE in_thing SET code = 'z' WHERE external_id = 'T-1'")
            try await writer.execute("DELETE FROM in_thing WHERE external_id = 'T-2'")
            for reader in readers + readers {
                #expect(try await rows(reader, in: snapshot) == ["T-1:a", "T-2:b"])
            }
            #expect(try await rows(readers[0]) == ["T-1:z", "T-3:c"])
            await snapshot.close()
            for reader in readers { await reader.close() }
        }
    }

    /// Once the exporting transaction is gone, a read fails instead of quietly seeing the present.
    @Test(.timeLimit(.minutes(1)))
    func aReadAfterTheSnapshotEndedFails() async throws {
        try await withTable { url, _ in
            let snapshot = try await SourceSnapshot.export(for: .generate(), conninfo: url, logger: Self.logger)
            let reader = PostgresClient(conninfo: url, logger: Self.logger)
            await snapshot.close()
            await #expect(throws: PostgresError.self) { try await rows(reader, in: snapshot) }
            // The failed import left no transaction open: the connection reads on.
            #expect(try await rows(reader) == ["T-1:a", "T-2:b"])
            await reader.close()
        }
    }

    /// The customer's limits for their own sessions (here in the connection string) end neither
    /// the idle exporting transaction nor a long read.
    @Test(.timeLimit(.minutes(1)))
    func theSnapshotAndItsReadsOutlastTheSourcesTimeouts() async throws {
        try await withTable { url, writer in
            let limited = connectionURL(
                url, settings: ["idle_in_transaction_session_timeout=100ms", "statement_timeout=100ms"])
            let snapshot = try await SourceSnapshot.export(for: .generate(), conninfo: limited, logger: Self.logger)
            let reader = PostgresClient(conninfo: limited, logger: Self.logger)
            try await writer.execute("UPDATE in_thing SET code = 'z' WHERE external_id = 'T-1'")
            try await Task.sleep(for: .milliseconds(400))
            let slow = try await reader.withConnection { connection in
                try snapshot.read(on: connection) {
                    try $0.execute("SELECT count(*) AS n FROM in_thing, pg_sleep(0.3)").first?.int64("n")
                }
            }
            #expect(slow == 2)
            #expect(try await rows(reader, in: snapshot) == ["T-1:a", "T-2:b"])
            // The limits hold outside the migration's reads.
            await #expect(throws: PostgresError.self) { try await reader.execute("SELECT pg_sleep(0.3)") }
            await snapshot.close()
            await reader.close()
        }
    }
}
