import Postgres

/// The store's tables, schema-qualified and quoted once, so that no statement depends on the
/// session's `search_path` and no configured schema name reaches SQL unquoted.
struct StoreTables: Sendable {
    /// The schema as configured, e.g. `inmigration`, for catalogue lookups.
    let schemaName: String
    /// The quoted schema, e.g. `"inmigration"`.
    let schema: String
    let instance: String
    let map: String
    let reference: String
    let catalogEntry: String
    let outbox: String
    let position: String
    let stats: String
    let marker: String
    let dangling: String
    let gap: String
    /// The journal's error table (`ddl/020_journal.sql`), in the same schema.
    let migrationError: String

    init(schema: String) {
        let quoted = PostgresConnection.quoteIdentifier(schema)
        func qualified(_ table: String) -> String { quoted + "." + table }
        self.schemaName = schema
        self.schema = quoted
        self.instance = qualified("boi_instance")
        self.map = qualified("boi_map")
        self.reference = qualified("boi_reference")
        self.catalogEntry = qualified("catalog_entry")
        self.outbox = qualified("outbox_batch")
        self.position = qualified("consumer_position")
        self.stats = qualified("consume_stats")
        self.marker = qualified("migration_marker")
        self.dangling = qualified("migration_dangling")
        self.gap = qualified("consumer_gap")
        self.migrationError = qualified("migration_error")
    }
}
