import Postgres
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason), .timeLimit(.minutes(2)))
struct CopyInBinaryTests {
    @Test func everyKindOfValueArrivesAsSent() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (id bigint, name text, doc jsonb, flag boolean)")
            let documents = [
                #"{"a":"tab\there","b":"quote \" and back\\slash","c":[1,2.5,-3e2,null,true]}"#,
                #"{"ü":"😀 €","nested":{"x":{"y":[]}}}"#,
                "{}",
            ]
            var rows: [[CopyBinaryValue]] = [
                [.int64(.min), .text(""), .jsonb(Array(documents[0].utf8)), .bool(true)],
                [.int64(.max), .text("ü 😀 € \\N \\. \t\n"), .jsonb(Array(documents[1].utf8)), .bool(false)],
                [.int64(0), .null, .null, .null],
            ]
            rows.append([.int64(-1), .text("last"), .jsonb(Array(documents[2].utf8)), .bool(true)])
            #expect(try connection.copyIn(binary: "COPY t (id, name, doc, flag) FROM STDIN (FORMAT binary)", rows: rows) == 4)
            let back = try connection.execute(
                """
                SELECT id::text, name, doc = $1::jsonb AS first, doc = $2::jsonb AS second, doc::text AS doc,
                    flag::text FROM t ORDER BY t.id
                """, [documents[0], documents[1]])
            #expect(back.map { $0["id"] } == [String(Int64.min), "-1", "0", String(Int64.max)])
            #expect(back.map { $0["name"] } == ["", "last", nil, "ü 😀 € \\N \\. \t\n"])
            #expect(back.map { $0["flag"] } == ["true", "true", nil, "false"])
            #expect(back[0]["first"] == "t")
            #expect(back[3]["second"] == "t")
            #expect(back[1]["doc"] == "{}")
            #expect(back[2]["doc"] == nil)
        }
    }

    @Test func aLoadLargerThanABatchArrivesWhole() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (id bigint PRIMARY KEY, doc jsonb NOT NULL)")
            let rows = (1...30_000).lazy.map { id -> [CopyBinaryValue] in
                [.int64(Int64(id)), .jsonb(Array(#"{"id":\#(id),"pad":"\#(String(repeating: "x", count: 100))"}"#.utf8))]
            }
            #expect(try connection.copyIn(binary: "COPY t (id, doc) FROM STDIN (FORMAT binary)", rows: rows) == 30_000)
            let check = try connection.execute(
                "SELECT count(*) AS n, sum(id) AS s, sum((doc->>'id')::bigint) AS d FROM t")
            let sum: Int64 = 30_000 * 30_001 / 2
            #expect(check.first?.int("n") == 30_000)
            #expect(check.first?.int64("s") == sum)
            #expect(check.first?.int64("d") == sum)
        }
    }

    @Test func aRefusedRowFailsTheWholeCopyWithTheServersReason() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (id bigint CONSTRAINT t_key PRIMARY KEY, doc jsonb)")
            let statement = "COPY t (id, doc) FROM STDIN (FORMAT binary)"
            // A duplicate key after several batches were sent: the server names the constraint.
            let rows = (1...20_000).lazy.map { id -> [CopyBinaryValue] in
                [.int64(id == 19_000 ? 7 : Int64(id)), .jsonb(Array(#"{"pad":"\#(String(repeating: "y", count: 40))"}"#.utf8))]
            }
            let duplicate = try #require(throws: PostgresError.self) { try connection.copyIn(binary: statement, rows: rows) }
            #expect(duplicate.code == .copyFailed)
            #expect(duplicate.isUniqueViolation)
            #expect(duplicate.constraint == "t_key")
            #expect(duplicate.detail?.contains("(id)=(7)") == true)
            let notJSON = try #require(throws: PostgresError.self) {
                try connection.copyIn(binary: statement, rows: [[.int64(1), .jsonb(Array("{oops".utf8))]])
            }
            #expect(notJSON.sqlState == "22P02")
            let shortRow = try #require(throws: PostgresError.self) {
                try connection.copyIn(binary: statement, rows: [[.int64(1)]])
            }
            #expect(shortRow.sqlState == "22P04")
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            #expect(try connection.copyIn(binary: statement, rows: [[.int64(1), .null]]) == 1)
        }
    }

    @Test func aValueThatCannotBeSentEndsTheCopyBeforeAnythingIsLoaded() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (id bigint, name text)")
            let statement = "COPY t (id, name) FROM STDIN (FORMAT binary)"
            let rows = (1...20_000).lazy.map { id -> [CopyBinaryValue] in
                [.int64(Int64(id)), .text(id == 15_000 ? "nul\u{0}inside" : "row \(id) of some length")]
            }
            let refused = try #require(throws: PostgresError.self) { try connection.copyIn(binary: statement, rows: rows) }
            #expect(refused.code == .invalidArgument)
            #expect(try connection.execute("SELECT count(*) AS n FROM t").first?.int("n") == 0)
            let textFormat = try #require(throws: PostgresError.self) {
                try connection.copyIn(binary: "COPY t (id, name) FROM STDIN", rows: [[CopyBinaryValue]]())
            }
            #expect(textFormat.code == .copyFailed)
            #expect(try connection.copyIn(binary: statement, rows: [[.int64(1), .text("fine")]]) == 1)
        }
    }
}
