import Postgres
import Testing

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason), .timeLimit(.minutes(2)))
struct ExecuteTests {
    @Test func parametersIncludingNullAndUnicode() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            let text = "héllo wörld 😀 \\ ' \" \t\n€"
            let rows = try connection.execute(
                "SELECT $1::text AS text, $2::text AS missing, $3::int AS number, $4::bigint AS big, $5::bool AS flag",
                [text, nil, "42", "9000000000", "true"]
            )
            #expect(rows.columns == ["text", "missing", "number", "big", "flag"])
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row["text"] == text)
            #expect(row[0] == text)
            #expect(row["missing"] == nil)
            #expect(row.int("number") == 42)
            #expect(row.int64("big") == 9_000_000_000)
            #expect(row.bool("flag") == true)
            #expect(row.int("missing") == nil)
        }
    }

    /// A value is found by its column's name however many columns the result has (a few are
    /// compared one by one, many hashed); of two columns with one name, the first counts.
    @Test(arguments: [3, 12, 13, 40])
    func valuesAreFoundByNameInNarrowAndWideResults(_ width: Int) async throws {
        try await TestDatabase.with { database in
            let columns = (0..<width).map { "$\($0 + 1)::text AS c\($0)" } + ["'again'::text AS c1"]
            let rows = try database.connect().execute(
                "SELECT \(columns.joined(separator: ", "))", (0..<width).map { "v\($0)" })
            let row = try #require(rows.first)
            for column in 0..<width { #expect(row["c\(column)"] == "v\(column)") }
            #expect(rows.columns.last == "c1")
            #expect(row[width] == "again")
        }
    }

    /// A database whose sessions default to other settings (a `DateStyle` of `German`, say)
    /// still gives ours ISO dates, every digit of a float, PostgreSQL's default intervals and
    /// bytea, and read committed transactions: the handshake reads its dates as text, the
    /// customer's rows become JSON, and the store's locking is written for read committed.
    @Test func sessionsWriteValuesInOneFormatWhateverTheDatabaseSets() async throws {
        try await TestDatabase.with { database in
            try database.connect().execute(
                """
                DO $$ BEGIN
                    EXECUTE format('ALTER DATABASE %I SET DateStyle = %L', current_database(), 'German, DMY');
                    EXECUTE format('ALTER DATABASE %I SET extra_float_digits = 0', current_database());
                    EXECUTE format('ALTER DATABASE %I SET IntervalStyle = %L', current_database(), 'sql_standard');
                    EXECUTE format('ALTER DATABASE %I SET bytea_output = %L', current_database(), 'escape');
                    EXECUTE format('ALTER DATABASE %I SET default_transaction_isolation = %L', current_database(),
                        'serializable');
                END $$
                """)
            let row = try #require(
                try database.connect().execute(
                    """
                    SELECT current_setting('DateStyle') AS style, current_setting('transaction_isolation') AS isolation,
                        '2026-11-20'::date::text AS day,
                        (0.1::float8 + 0.2::float8)::text AS float, row_to_json(r.*)::text AS json
                    FROM (SELECT interval '1 day 2 hours' AS pause, '\\x01ff'::bytea AS photo,
                        timestamp '2026-11-20 10:00' AS at) r
                    """
                ).first)
            #expect(row["style"] == "ISO, MDY")
            #expect(row["isolation"] == "read committed")
            #expect(row["day"] == "2026-11-20")
            #expect(row["float"] == "0.30000000000000004")
            #expect(row["json"] == #"{"pause":"1 day 02:00:00","photo":"\\x01ff","at":"2026-11-20T10:00:00"}"#)
        }
    }

    /// Documents travel as a binary `jsonb[]`: quotes, backslashes and any Unicode unescaped,
    /// in order; an empty array is an empty array; text that is not JSON is refused.
    @Test func jsonDocumentsTravelAsABinaryArray() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            let documents = [
                #"{"a":"quote \" and \\ back","n":1}"#, #"{"ü":"😀","nested":{"x":[1,null]}}"#, "{}",
            ]
            let rows = try connection.execute(
                """
                SELECT d->>'a' AS a, d->>'n' AS n, d->>'ü' AS u, d#>>'{nested,x,0}' AS x, d = '{}'::jsonb AS empty
                FROM unnest($1::jsonb[]) WITH ORDINALITY AS t (d, ord) ORDER BY ord
                """,
                parameters: [.jsonbArray(documents.map { Array($0.utf8) })])
            #expect(rows.count == 3)
            #expect(rows[0]["a"] == #"quote " and \ back"#)
            #expect(rows[0].int("n") == 1)
            #expect(rows[1]["u"] == "😀" && rows[1]["x"] == "1")
            #expect(rows[2].bool("empty") == true && rows[2]["a"] == nil)
            let empty = try connection.execute("SELECT cardinality($1::jsonb[]) AS n", parameters: [.jsonbArray([])])
            #expect(empty.first?.int("n") == 0)
            #expect(throws: PostgresError.self) {
                try connection.execute("SELECT $1::jsonb[]", parameters: [.jsonbArray([Array("{".utf8)])])
            }
        }
    }

    @Test func affectedRowsAndCommandTag() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            // Several statements at once are allowed without parameters.
            try connection.execute("CREATE TABLE items (id int PRIMARY KEY, name text); CREATE INDEX ON items (name)")
            let insert = try connection.execute(
                "INSERT INTO items SELECT i, 'n' || i FROM generate_series(1, $1::int) i", ["5"]
            )
            #expect(insert.affectedRows == 5)
            #expect(insert.commandTag == "INSERT 0 5")
            #expect(insert.isEmpty)
            let update = try connection.execute("UPDATE items SET name = $1 WHERE id > $2::int", ["x", "3"])
            #expect(update.affectedRows == 2)
            let rows = try connection.execute("SELECT id, name FROM items ORDER BY id")
            #expect(rows.map { $0["name"] } == ["n1", "n2", "n3", "x", "x"])
            #expect(rows.affectedRows == 5)
            let noColumns = try connection.execute("SELECT FROM generate_series(1, 3)")
            #expect(noColumns.count == 3)
            #expect(noColumns.columns.isEmpty)
        }
    }

    @Test func uniqueViolationNamesItsConstraint() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE users (email text CONSTRAINT users_email_key UNIQUE)")
            try connection.execute("INSERT INTO users VALUES ($1)", ["a@example.org"])
            let error = try #require(throws: PostgresError.self) {
                try connection.execute("INSERT INTO users VALUES ($1)", ["a@example.org"])
            }
            #expect(error.isUniqueViolation)
            #expect(error.code == .queryFailed)
            #expect(error.sqlState == "23505")
            #expect(error.constraint == "users_email_key")
            #expect(error.table == "users")
            #expect(error.detail?.contains("a@example.org") == true)
            #expect(error.description.contains("23505"))
            // The connection is still usable after a failed statement.
            #expect(try connection.execute("SELECT count(*) AS n FROM users").first?.int("n") == 1)
        }
    }

    @Test func syntaxErrorKeepsConnectionUsable() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            let error = try #require(throws: PostgresError.self) { try connection.execute("SELEC 1") }
            #expect(error.sqlState == "42601")
            #expect(!error.isUniqueViolation)
            #expect(connection.isHealthy)
            #expect(try connection.execute("SELECT 1 AS one").first?["one"] == "1")
        }
    }

    @Test func nulCharactersAreRefusedNotTruncated() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            let parameter = try #require(throws: PostgresError.self) {
                try connection.execute("SELECT $1::text", ["a\u{0}b"])
            }
            #expect(parameter.code == .invalidArgument)
            let sql = try #require(throws: PostgresError.self) { try connection.execute("SELECT 1\u{0}; DROP TABLE x") }
            #expect(sql.code == .invalidArgument)
        }
    }

    @Test func noticesAreCollectedNotPrinted() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            try connection.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$")
            let notices = connection.takeNotices()
            #expect(notices.map(\.message) == ["hello 42", "careful"])
            #expect(notices.map(\.severity) == ["NOTICE", "WARNING"])
            #expect(connection.takeNotices().isEmpty)
        }
    }

    @Test func resetReconnects() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            let before = connection.backendPID
            try connection.reset()
            #expect(connection.isHealthy)
            #expect(connection.backendPID != before)
            #expect(try connection.execute("SELECT 1 AS one").first?["one"] == "1")
        }
    }

    @Test func textPostgresArray() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            // Long texts with `"` or `\` at every place, before and after whole words of none.
            let long = (0..<26).flatMap { place in
                ["\"", "\\"].map { special -> String? in
                    var text = Array("boi-0123456789abcdef-tail-€ü".utf8)
                    text.insert(contentsOf: special.utf8, at: place)
                    return String(decoding: text, as: UTF8.self)
                }
            }
            let values: [String?] = ["a", "with \"quote\"", "back\\slash", nil, "", "ü,{}", "\"\\\"\\\"\\\"\\"] + long
            let rows = try connection.execute(
                "SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n",
                [PostgresArray.text(values)]
            )
            #expect(rows.map { $0["v"] } == values)
        }
    }

    /// Elements appended as their UTF-8 arrive as the same texts as elements appended as strings.
    @Test func postgresArrayTakesElementsAsTheirUTF8() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            let values = ["boi-0123456789abcdef0123456789abcdef", "with \"quote\" and back\\slash", "", "ü,{}", "NULL"]
            var array = PostgresArray()
            for value in values {
                var value = value
                value.withUTF8 { array.append(utf8: $0) }
            }
            let rows = try connection.execute(
                "SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n", [array.finish()])
            #expect(rows.map { $0["v"] } == values)
        }
    }
}
