import Postgres
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason), .timeLimit(.minutes(2)))
struct CopyInTests {
    @Test func escapesRoundTrip() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (id int, v text)")
            let values: [String?] = [
                "plain", "tab\there", "new\nline", "cr\rreturn", "crlf\r\n", "back\\slash", "\\N", "\\.",
                "", nil, "ü 😀 €", "trailing\\", "\\\\t", " spaces ", "\u{1}\u{7f}", "'\"",
            ]
            let rows = values.enumerated().map { [String($0.offset), $0.element] }
            let loaded = try connection.copyIn("COPY t (id, v) FROM STDIN", rows: rows)
            #expect(loaded == values.count)
            let back = try connection.execute("SELECT v FROM t ORDER BY id")
            #expect(back.map { $0["v"] } == values)
        }
    }

    @Test func manyRowsInBatches() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute(#"CREATE TABLE "Big Table" ("the id" bigint, "note" text)"#)
            let statement = "COPY \(PostgresConnection.quoteIdentifier("Big Table")) "
                + "(\(PostgresConnection.quoteIdentifier("the id")), note) FROM STDIN"
            let rows = (1...200_000).lazy.map { [String($0), "note \($0)\twith tab"] as [String?] }
            #expect(try connection.copyIn(statement, rows: rows) == 200_000)
            let check = try connection.execute(#"SELECT count(*) AS n, sum("the id") AS s FROM "Big Table""#)
            #expect(check.first?.int("n") == 200_000)
            let expectedSum: Int64 = 200_000 * 200_001 / 2
            #expect(check.first?.int64("s") == expectedSum)
        }
    }

    @Test func badRowsFailTheWholeCopyAndLeaveConnectionUsable() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (id int, v text)")
            let extraColumn = try #require(throws: PostgresError.self) {
                try connection.copyIn("COPY t (id, v) FROM STDIN", rows: [["1", "a"], ["2", "b", "extra"]])
            }
            #expect(extraColumn.code == .copyFailed)
            #expect(extraColumn.sqlState == "22P04")
            // A bad value deep into a large load, after many batches were sent.
            let rows = (1...150_000).lazy.map { [$0 == 140_000 ? "not a number" : String($0), "v"] as [String?] }
            let badValue = try #require(throws: PostgresError.self) {
                try connection.copyIn("COPY t (id, v) FROM STDIN", rows: rows)
            }
            #expect(badValue.sqlState == "22P02")
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            let wrongDirection = try #require(throws: PostgresError.self) {
                try connection.copyIn("COPY (SELECT 1) TO STDOUT", rows: [[String?]]())
            }
            #expect(wrongDirection.code == .copyFailed)
            #expect(try connection.copyIn("COPY t (id, v) FROM STDIN", rows: [["1", nil]]) == 1)
        }
    }
}
