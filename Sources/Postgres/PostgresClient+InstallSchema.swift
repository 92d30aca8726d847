extension PostgresClient {
    /// Creates `schema` and runs `ddl` (plus `more` statements) inside it, in one transaction
    /// serialised by an advisory lock named `lock`, so that several instances starting at once
    /// install it once. The DDL must be idempotent (`IF NOT EXISTS`): it runs at every start.
    /// - Parameters:
    ///   - schema: the schema, quoted already (``PostgresConnection/quoteIdentifier(_:)``).
    ///   - ddl: statements with unqualified names; `search_path` is the schema while they run.
    /// - Throws: ``PostgresError`` when a statement fails; nothing is installed then.
    public func installSchema(_ schema: String, lock: String, ddl: String, more: [String] = []) async throws {
        try await withConnection { connection in
            try connection.transaction { transaction in
                try transaction.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [lock])
                try transaction.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
                try transaction.execute("SET LOCAL search_path TO \(schema)")
                try transaction.execute(ddl)
                for statement in more {
                    try transaction.execute(statement)
                }
            }
        }
    }
}
