import DDL
import Domain
import Logging
import Postgres
import Store

extension PostgresBOIStore {
    /// Creates the schema, the store's tables (`ddl/030_boi_store.sql`) and one partial unique
    /// index per BO and unique key of `mapping`, when they do not exist.
    ///
    /// Safe to run from several instances at once and again at every start: creation is
    /// serialised by an advisory lock and every statement is `IF NOT EXISTS`. A unique key
    /// added to the mapping gets its index at the next start; one removed keeps it.
    /// - Throws: `PostgresError`, e.g. when stored instances already violate a new unique key
    ///   (the detail names the clashing values).
    public func install(mapping: MigrationMapping) async throws {
        let tables = self.tables
        let keys = UniqueKeyIndex.all(in: mapping)
        let statements = try keys.map { try $0.installSQL(tables) }
        try await client.installSchema(tables.schema, lock: "inmigration.boi_store", ddl: DDL.boiStore, more: statements)
        uniqueKeys.register(keys)
        logger.info(
            "BOI store installed",
            metadata: [
                PostgresStoreLogKey.schema: "\(tables.schemaName)",
                PostgresStoreLogKey.uniqueKeys: "\(keys.map { "\($0.bo)(\($0.fields.joined(separator: ",")))" })",
            ])
    }
}
