import Postgres
import Testing

@Suite struct QuotingTests {
    @Test func quoteIdentifierWrapsAndDoublesQuotes() {
        #expect(PostgresConnection.quoteIdentifier("in_person") == #""in_person""#)
        #expect(PostgresConnection.quoteIdentifier(#"we"ird"#) == #""we""ird""#)
        #expect(PostgresConnection.quoteIdentifier("") == #""""#)
        #expect(PostgresConnection.quoteIdentifier("MixedCase ü") == #""MixedCase ü""#)
    }
}

extension QuotingTests {
    @Test func quoteLiteralDoublesQuotes() {
        #expect(PostgresConnection.quoteLiteral("abc") == "'abc'")
        #expect(PostgresConnection.quoteLiteral("it's") == "'it''s'")
        #expect(PostgresConnection.quoteLiteral("") == "''")
        #expect(PostgresConnection.quoteLiteral("ü \" 😀") == "'ü \" 😀'")
    }

    @Test func quoteLiteralUsesEscapeStringForBackslashes() {
        #expect(PostgresConnection.quoteLiteral(#"a\b"#) == #"E'a\\b'"#)
        #expect(PostgresConnection.quoteLiteral(#"'\'"#) == #"E'''\\'''"#)
        #expect(PostgresConnection.quoteLiteral(#"\"#) == #"E'\\'"#)
    }
}

/// The quoting functions against the server's own parser.
@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason))
struct QuotingRoundTripTests {
    static let samples = ["plain", "it's", #"back\slash"#, #"\'"#, "\"", "ü 😀", "", "new\nline", #"E'x'"#, "a''b"]

    @Test func literalsAndIdentifiersMeanWhatTheySay() async throws {
        try await TestDatabase.with { database in
            let connection = try database.connect()
            for sample in Self.samples {
                let literal = try connection.execute("SELECT \(PostgresConnection.quoteLiteral(sample)) AS v")
                #expect(literal.first?["v"] == sample)
                try connection.execute("SET standard_conforming_strings = off")
                let legacy = try connection.execute("SELECT \(PostgresConnection.quoteLiteral(sample)) AS v")
                #expect(legacy.first?["v"] == sample)
                try connection.execute("SET standard_conforming_strings = on")
                guard !sample.isEmpty else { continue }
                let identifier = try connection.execute("SELECT 1 AS \(PostgresConnection.quoteIdentifier(sample))")
                #expect(identifier.columns == [sample])
            }
        }
    }
}
