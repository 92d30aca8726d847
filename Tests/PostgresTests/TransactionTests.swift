import Postgres
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason), .timeLimit(.minutes(2)))
struct TransactionTests {
    private struct Boom: Error {}

    @Test func commitsWhenBodyReturns() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (v int)")
            let value = try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1), (2)")
                return "done"
            }
            #expect(value == "done")
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 2)
        }
    }

    @Test func rollsBackWhenBodyThrows() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (v int)")
            #expect(throws: Boom.self) {
                try connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (1)")
                    throw Boom()
                }
            }
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            // No transaction is left open.
            try connection.execute("INSERT INTO t VALUES (3)")
            let other = try database.connect()
            #expect(try other.execute("SELECT count(*) AS n FROM t").first?.int("n") == 1)
        }
    }

    @Test func swallowedStatementErrorIsNotACommit() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (v int PRIMARY KEY)")
            let error = try #require(throws: PostgresError.self) {
                try connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (1)")
                    _ = try? connection.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error.code == .transactionAborted)
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            #expect(connection.takeNotices().isEmpty)
        }
    }

    @Test func failingCommitIsReported() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("""
                CREATE TABLE t (v int CONSTRAINT t_v_key UNIQUE DEFERRABLE INITIALLY DEFERRED)
                """)
            let error = try #require(throws: PostgresError.self) {
                try connection.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (1), (1)")
                }
            }
            #expect(error.isUniqueViolation)
            #expect(error.constraint == "t_v_key")
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            #expect(connection.takeNotices().isEmpty)
        }
    }
}
