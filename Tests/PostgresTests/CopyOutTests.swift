import Postgres
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason), .timeLimit(.minutes(3)))
struct CopyOutTests {
    private struct Boom: Error {}

    @Test func rowToJsonIsByteExactWithPlainSelect() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute(#"""
                CREATE TABLE people (
                    id int PRIMARY KEY, name text, note text, score numeric, born date,
                    tags text[], active bool, extra jsonb
                );
                INSERT INTO people
                SELECT i,
                       'Name ' || i || ' "quoted" \back\slash ''single''',
                       E'line1\nline2\ttab\r' || chr(8364) || ' 😀 ü \u0001 ' || i,
                       i * 1.5,
                       date '2000-01-01' + i,
                       ARRAY['a' || i, 'b"\c'],
                       i % 2 = 0,
                       jsonb_build_object('k', i, 's', E'x\\y"z\n')
                FROM generate_series(1, 100000) AS g(i);
                UPDATE people SET note = NULL WHERE id % 7 = 0;
                """#)
            let plain = try connection.execute("SELECT row_to_json(t)::text AS j FROM people t ORDER BY id")
            var copied: [[UInt8]] = []
            copied.reserveCapacity(100_000)
            let count = try connection.copyOut(
                "COPY (SELECT row_to_json(t) FROM people t ORDER BY id) TO STDOUT (FORMAT binary)"
            ) { row in
                #expect(row.count == 1)
                copied.append(Array(try #require(row[0])))
            }
            #expect(count == 100_000)
            #expect(plain.count == 100_000)
            let expected = plain.map { Array(($0["j"] ?? "").utf8) }
            #expect(copied == expected)
            let sample = try #require(plain.first?["j"])
            #expect(sample.contains(#"\\back\\slash"#) && sample.contains(#"\n"#) && sample.contains("😀"))
        }
    }

    @Test func nullsEmptyStringsAndBinaryIntegers() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            var seen = 0
            let count = try connection.copyOut(
                "COPY (SELECT NULL::text, 7::int8, ''::text, 'ü'::varchar) TO STDOUT (FORMAT binary)"
            ) { row in
                seen += 1
                #expect(row.count == 4)
                #expect(row[0] == nil)
                #expect(row[1].map(Array.init) == [0, 0, 0, 0, 0, 0, 0, 7])
                #expect(row[2].map(Array.init) == [])
                #expect(row.string(3) == "ü")
            }
            #expect(count == 1 && seen == 1)
            #expect(try connection.copyOut("COPY (SELECT 1 WHERE false) TO STDOUT (FORMAT binary)") { _ in } == 0)
        }
    }

    @Test func throwFromRowCancelsAndLeavesConnectionUsable() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            var seen = 0
            let clock = ContinuousClock()
            let started = clock.now
            // 50M rows: without a cancel, draining them would take far longer than the limit.
            #expect(throws: Boom.self) {
                try connection.copyOut("""
                    COPY (SELECT i, repeat('x', 100) FROM (SELECT generate_series(1, 50000000) AS i) s)
                    TO STDOUT (FORMAT binary)
                    """) { _ in
                    seen += 1
                    if seen == 10 { throw Boom() }
                }
            }
            let elapsed = clock.now - started
            #expect(seen == 10)
            #expect(elapsed < .seconds(15), "cancelling took \(elapsed)")
            #expect(connection.isHealthy)
            #expect(try connection.execute("SELECT 1 AS one").first?["one"] == "1")
            #expect(try connection.copyOut("COPY (SELECT generate_series(1, 1000)) TO STDOUT (FORMAT binary)") { _ in } == 1000)
            #expect(connection.takeNotices().isEmpty)
        }
    }

    @Test func serverErrorMidStreamIsReportedAndConnectionUsable() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            var seen = 0
            let error = try #require(throws: PostgresError.self) {
                try connection.copyOut("""
                    COPY (SELECT 1 / (5000 - i) FROM (SELECT generate_series(1, 10000) AS i) s)
                    TO STDOUT (FORMAT binary)
                    """) { _ in seen += 1 }
            }
            #expect(error.code == .copyFailed)
            #expect(error.sqlState == "22012")
            #expect(seen < 5000)
            #expect(try connection.execute("SELECT 2 AS two").first?["two"] == "2")
        }
    }

    @Test func wrongStatementsAreRefusedAndConnectionUsable() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (v text)")
            let statements = [
                "COPY (SELECT 1) TO STDOUT",  // text format
                "SELECT 1",  // not a COPY
                "COPY t FROM STDIN",  // the other direction
                "COPY (SELECT nope) TO STDOUT (FORMAT binary)",  // server error
            ]
            for statement in statements {
                let error = try #require(throws: PostgresError.self) {
                    try connection.copyOut(statement) { _ in Issue.record("no rows expected") }
                }
                #expect(error.code == .copyFailed, "\(statement)")
                #expect(try connection.execute("SELECT 1 AS one").first?["one"] == "1", "\(statement)")
            }
            for statement in ["COPY (SELECT 1) TO STDOUT", "COPY t FROM STDIN"] {
                #expect(throws: PostgresError.self) { try connection.execute(statement) }
                #expect(try connection.execute("SELECT 1 AS one").first?["one"] == "1", "\(statement)")
            }
        }
    }

    /// Prints, does not assert: a figure to compare with `psql \copy` on the same machine.
    @Test func throughputOfOneMillionRows() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            var bytes = 0
            let clock = ContinuousClock()
            let started = clock.now
            let count = try connection.copyOut("""
                COPY (
                    SELECT row_to_json(t) FROM (
                        SELECT i AS id, 'person ' || i AS name, md5(i::text) AS hash, i * 2 AS twice,
                               timestamptz '2024-01-01' + i * interval '1 second' AS created,
                               'Some street ' || i AS street, 'Springfield' AS city, i % 100 AS age,
                               i % 2 = 0 AS active, repeat('z', 60) AS filler
                        FROM (SELECT generate_series(1, 1000000) AS i) g
                    ) t
                ) TO STDOUT (FORMAT binary)
                """) { row in
                bytes += row[0]?.count ?? 0
            }
            let seconds = (clock.now - started) / .seconds(1)
            #expect(count == 1_000_000)
            print(
                "copyOut throughput: \(count) rows, \(bytes / count) B/row avg, "
                    + "\(Int(seconds * 1000)) ms, \(Int(Double(count) / seconds)) rows/s"
            )
        }
    }
}
