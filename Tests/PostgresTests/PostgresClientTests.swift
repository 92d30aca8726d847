import Logging
import Postgres
import Synchronization
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason), .timeLimit(.minutes(2)))
struct PostgresClientTests {
    /// Counts bodies running at the same time; shared by the tasks through its atomics.
    private final class Overlap: Sendable {
        let inside = Atomic(0)
        let most = Atomic(0)

        func enter() {
            let now = inside.add(1, ordering: .sequentiallyConsistent).newValue
            most.max(now, ordering: .sequentiallyConsistent)
        }

        func leave() {
            inside.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    private static let logger = Logger(label: "PostgresClientTests")

    @Test func concurrentCallsAreSerialised() async throws {
        try await TestDatabase.with { database in
            let client = PostgresClient(conninfo: database.conninfo, logger: Self.logger)
            try await client.execute("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)")
            let overlap = Overlap()
            // Read-modify-write without locking in SQL: only correct if calls never overlap.
            let seen = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        try await client.withConnection { connection in
                            overlap.enter()
                            defer { overlap.leave() }
                            let n = try connection.execute("SELECT n FROM counter").first?.int("n") ?? -1
                            try connection.execute("UPDATE counter SET n = $1::int", [String(n + 1)])
                            return n
                        }
                    }
                    group.addTask {
                        try await client.execute("SELECT pg_sleep(0.001)")
                        return -1
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.filter { $0 >= 0 }
            }
            #expect(seen.sorted() == Array(0..<100))
            #expect(overlap.most.load(ordering: .sequentiallyConsistent) == 1)
            #expect(try await client.execute("SELECT n FROM counter").first?.int("n") == 100)
            await client.close()
        }
    }

    @Test func reconnectsOnceWhenTheServerClosedTheConnection() async throws {
        try await TestDatabase.with { database in
            let client = PostgresClient(conninfo: database.conninfo, logger: Self.logger)
            let before = try #require(try await client.execute("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            let admin = try database.connect()
            let terminated = try admin.execute("SELECT pg_terminate_backend($1::int, 5000) AS ok", [String(before)])
            #expect(terminated.first?.bool("ok") == true)
            let after = try #require(try await client.execute("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            #expect(after != before)
            await client.close()
        }
    }

    @Test func closedClientRefusesCalls() async throws {
        try await TestDatabase.with { database in
            let client = PostgresClient(conninfo: database.conninfo, logger: Self.logger)
            try await client.execute("SELECT 1")
            await client.close()
            let error = await #expect(throws: PostgresError.self) { try await client.execute("SELECT 1") }
            #expect(error?.code == .clientClosed)
        }
    }

    @Test func bodyErrorsPassThroughAndConnectionStays() async throws {
        struct Boom: Error {}
        try await TestDatabase.with { database in
            let client = PostgresClient(conninfo: database.conninfo, logger: Self.logger)
            let pid = try await client.execute("SELECT pg_backend_pid() AS pid").first?.int("pid")
            await #expect(throws: Boom.self) {
                try await client.withConnection { _ in throw Boom() }
            }
            let error = await #expect(throws: PostgresError.self) { try await client.execute("SELECT nope") }
            #expect(error?.sqlState == "42703")
            #expect(try await client.execute("SELECT pg_backend_pid() AS pid").first?.int("pid") == pid)
            await client.close()
        }
    }
}

/// Needs no server: nothing listens on 127.0.0.1 port 1.
@Suite struct PostgresClientFailureTests {
    @Test func failedLazyConnectHidesPasswordAndRetries() async throws {
        let client = PostgresClient(
            conninfo: "postgresql://postgres:Cl1entSecret@127.0.0.1:1/postgres",
            logger: Logger(label: "PostgresClientFailureTests")
        )
        for _ in 0..<2 {
            let error = await #expect(throws: PostgresError.self) { try await client.execute("SELECT 1") }
            #expect(error?.code == .connectionFailed)
            #expect(error?.description.contains("Cl1entSecret") == false)
        }
        await client.close()
    }

    @Test func cancelledTaskDoesNotStartACall() async throws {
        let client = PostgresClient(conninfo: "postgresql://postgres@127.0.0.1:1/postgres", logger: Logger(label: "t"))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute("SELECT 1")
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
