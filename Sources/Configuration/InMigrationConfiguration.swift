public import Domain

/// Everything the `inmigration` service is told rather than discovers: where the databases and
/// the broker are, how it listens, when it works, and how in-tables map to business objects.
///
/// Loaded from one YAML file by ``ConfigurationLoader``, with connection settings and secrets
/// overridable by environment, and validated as a whole before anything starts, so that a
/// mistake is reported once, at start-up, with its key — not as a failure in the middle of a load.
public struct InMigrationConfiguration: Sendable, Hashable {
    public var source: SourceOptions
    public var store = StoreOptions()
    public var kafka = KafkaOptions()
    public var consumer = ConsumerOptions()
    public var http = HTTPOptions()
    public var scheduler = SchedulerOptions()
    public var lease = LeaseOptions()
    public var monitor = MonitorOptions()
    /// YAML key `mapping`: `tables`, `systemBOs` (default Person, Department, PersonGroup) and
    /// `refusedBOs` (default Company).
    public var mapping: MigrationMapping
    /// The path the configuration was loaded from, `<memory>` when it came from a string.
    public var file: String

    public init(source: SourceOptions, mapping: MigrationMapping, file: String = "<memory>") {
        self.source = source
        self.mapping = mapping
        self.file = file
    }

    /// The connection string of the product's own database: `store.url`, else `source.url`.
    public var storeURL: String { store.url ?? source.url }

    /// The broker address, as ``KafkaOptions/resolvedBootstrapServers(file:)`` with this file named.
    public func resolvedBootstrapServers() throws(ConfigurationError) -> String {
        try kafka.resolvedBootstrapServers(file: file)
    }

    /// Key path of a table's entry in the mapping, used when a later check (e.g. against the
    /// database catalogue) finds a problem: `mapping.tables[3]`, or
    /// `mapping.tables[1].children[0]` for a child table; `mapping.tables` when it is not mapped.
    public func keyPath(ofTable table: String) -> String {
        for (index, entry) in mapping.tables.enumerated() where entry.table == table {
            return "mapping.tables[\(index)]"
        }
        for (index, entry) in mapping.tables.enumerated() {
            if let child = entry.children.firstIndex(where: { $0.table == table }) {
                return "mapping.tables[\(index)].children[\(child)]"
            }
        }
        return "mapping.tables"
    }

    /// A ``ConfigurationError`` about this configuration's file, for checks made after loading.
    public func error(at key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key, problem: problem)
    }
}
