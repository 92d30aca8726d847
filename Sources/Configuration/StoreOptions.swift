/// Which implementation keeps the business-object instances.
public enum StoreKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A JSONB document per instance in PostgreSQL: the default, runnable anywhere.
    case postgres
    /// MongoDB through libmongoc, the seed's store.
    case mongo
}

/// The product's own database: the journal (migrations, progress, errors) always lives in
/// PostgreSQL; the instances live there too unless ``kind`` is ``StoreKind/mongo``.
public struct StoreOptions: Sendable, Hashable {
    /// Override: `INMIGRATION_STORE_KIND`.
    public var kind: StoreKind = .postgres
    /// A libpq connection string for the journal and the PostgreSQL store; `nil` uses the source
    /// database (see ``InMigrationConfiguration/storeURL``). Override: `INMIGRATION_STORE_URL`.
    public var url: String?
    /// The schema that holds the product's own tables, kept apart from the customer's.
    public var schema = "inmigration"
    /// The MongoDB connection string; required when ``kind`` is ``StoreKind/mongo``.
    /// Override: `INMIGRATION_MONGO_URL`.
    public var mongoURL: String?
    /// The MongoDB database that holds the instances.
    public var mongoDatabase = "inmigration"

    public init() {}
}
