import Foundation
import Postgres
import Testing

/// Where the integration tests find their PostgreSQL server: `INMIGRATION_TEST_DATABASE_URL`,
/// which `scripts/test` always sets (it starts one with `scripts/pg-test-server`). When it
/// is unset, tests that need a server are skipped through `.enabled(if:)` instead of
/// failing, so the pure tests still run anywhere; for a local run:
///
///     export INMIGRATION_TEST_DATABASE_URL=$(scripts/pg-test-server start /tmp/pg)
enum TestServer {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["INMIGRATION_TEST_DATABASE_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static var isConfigured: Bool { url != nil }

    static let skipReason: Comment = "needs INMIGRATION_TEST_DATABASE_URL (scripts/pg-test-server start DIR)"
}

/// A fresh database per test (`t_<random>`), dropped afterwards, so tests can run in
/// parallel against one server without seeing each other's tables.
struct TestDatabase {
    let name: String
    let conninfo: String

    /// Creates a database, runs `body` with it and drops it, whatever `body` did.
    static func with<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        guard let url = TestServer.url else {
            throw PostgresError(code: .connectionFailed, message: "INMIGRATION_TEST_DATABASE_URL is not set")
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try PostgresConnection.connect(url)
        try admin.execute("CREATE DATABASE \(PostgresConnection.quoteIdentifier(name))")
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(PostgresConnection.quoteIdentifier(name)) WITH (FORCE)")
        }
        return try await body(TestDatabase(name: name, conninfo: conninfo(url, database: name)))
    }

    /// A connection to this test's database.
    func connect() throws -> PostgresConnection {
        try PostgresConnection.connect(conninfo)
    }

    /// The server's conninfo with another database: the URL's path, or a `dbname` pair.
    private static func conninfo(_ url: String, database: String) -> String {
        if url.contains("://"), var components = URLComponents(string: url) {
            components.path = "/" + database
            return components.string ?? url
        }
        return url + " dbname=\(database)"
    }
}
