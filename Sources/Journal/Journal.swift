import DDL
import Domain
import Logging
import Postgres

/// The product's own record of every migration: what was claimed, how far each in-table got,
/// and every error with its reason (seed 000's task and sub-task tables).
///
/// The operator reads it through `inmigration status` and the REST API; nothing here is needed
/// to move data, everything here is needed to trust that it moved.
public struct Journal: Sendable {
    let client: PostgresClient
    let schema: String
    let logger: Logger

    /// - Parameters:
    ///   - client: a connection to the product's database.
    ///   - schema: the schema holding the journal (configuration `store.schema`).
    public init(client: PostgresClient, schema: String, logger: Logger) {
        self.client = client
        self.schema = PostgresConnection.quoteIdentifier(schema)
        self.logger = logger
    }

    func qualified(_ table: String) -> String { schema + "." + table }

    /// Creates the schema and the journal tables when they do not exist (`ddl/020_journal.sql`).
    /// Safe to run from several instances at once: creation is serialised by an advisory lock.
    public func install() async throws {
        try await client.installSchema(schema, lock: "inmigration.journal", ddl: DDL.journal)
    }
}
