import Foundation
import Logging
import Postgres

/// A throwaway database on the test PostgreSQL server, one per test, so that tests running in
/// parallel never see each other's rows.
///
/// The server is the one `scripts/test` starts; its URL comes from `INMIGRATION_TEST_DATABASE_URL`.
public struct TestDatabase: Sendable {
    /// The server's admin URL, or `nil` when no test server is configured.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment["INMIGRATION_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether integration tests can run: use with `.enabled(if: TestDatabase.isAvailable)`.
    public static var isAvailable: Bool { serverURL != nil }

    public let name: String
    /// A libpq URL of the new database.
    public let url: String
    private let adminURL: String

    /// Creates a fresh, empty database.
    /// - Parameter options: what follows the name in `CREATE DATABASE`, e.g. a collation other
    ///   than the server's (`TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`).
    public static func create(options: String = "", logger: Logger = Logger(label: "test")) async throws -> TestDatabase {
        guard let adminURL = serverURL else { throw TestSupportError("INMIGRATION_TEST_DATABASE_URL is not set") }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = PostgresClient(conninfo: adminURL, logger: logger)
        try await admin.execute("CREATE DATABASE \(PostgresConnection.quoteIdentifier(String(name))) \(options)")
        await admin.close()
        guard var components = URLComponents(string: adminURL) else {
            throw TestSupportError("INMIGRATION_TEST_DATABASE_URL is not a URL")
        }
        components.path = "/" + name
        guard let url = components.string else { throw TestSupportError("cannot build the test database URL") }
        return TestDatabase(name: String(name), url: url, adminURL: adminURL)
    }

    /// Runs `body` on a fresh database and drops it afterwards, whether `body` returned or threw.
    /// The drop ends any connection still open to it, so `body` need not close its clients on
    /// the way out of an error.
    public static func with<T>(
        logger: Logger = Logger(label: "test"), _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(logger: logger)
        let value: T
        do {
            value = try await body(database)
        } catch {
            await database.drop(logger: logger)
            throw error
        }
        await database.drop(logger: logger)
        return value
    }

    /// Drops the database, ending any connection still open to it.
    public func drop(logger: Logger = Logger(label: "test")) async {
        let admin = PostgresClient(conninfo: adminURL, logger: logger)
        _ = try? await admin.execute(
            "DROP DATABASE IF EXISTS \(PostgresConnection.quoteIdentifier(name)) WITH (FORCE)")
        await admin.close()
    }
}

/// A test environment that cannot be set up.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
