/// Connection settings and secrets taken from the environment after the file is read, so that
/// one file serves every environment and no secret has to be written into it.
///
/// An empty variable counts as unset. Besides the named variables,
/// `INMIGRATION_KAFKA_PRODUCER_<PROP>` and `INMIGRATION_KAFKA_CONSUMER_<PROP>` set any
/// librdkafka property: `<PROP>` upper-case with `_` for `.`, so
/// `INMIGRATION_KAFKA_PRODUCER_SASL_PASSWORD` sets the producer's `sasl.password`.
public enum EnvironmentOverrides {
    /// Each named variable and the key it overrides.
    public static let variables: [(variable: String, key: String)] = [
        ("INMIGRATION_SOURCE_URL", "source.url"),
        ("INMIGRATION_SOURCE_SCHEMA", "source.schema"),
        ("INMIGRATION_STORE_URL", "store.url"),
        ("INMIGRATION_STORE_KIND", "store.kind"),
        ("INMIGRATION_MONGO_URL", "store.mongoURL"),
        ("INMIGRATION_KAFKA_BOOTSTRAP", "kafka.bootstrapServers"),
        ("INMIGRATION_KAFKA_BOOTSTRAP_FILE", "kafka.bootstrapFile"),
        ("INMIGRATION_KAFKA_GROUP", "kafka.group"),
        ("INMIGRATION_HTTP_HOST", "http.host"),
        ("INMIGRATION_HTTP_PORT", "http.port"),
        ("INMIGRATION_HTTP_TOKEN", "http.token"),
    ]
    static let producerPrefix = "INMIGRATION_KAFKA_PRODUCER_"
    static let consumerPrefix = "INMIGRATION_KAFKA_CONSUMER_"

    /// Applies every override found in `environment`.
    ///
    /// - Returns: For each key that was overridden, the variable that did it, so that a later
    ///   validation error can name the variable rather than the file's key.
    /// - Throws: ``ConfigurationError`` naming the variable when its value has the wrong form.
    @discardableResult
    public static func apply(
        _ environment: [String: String], to configuration: inout InMigrationConfiguration
    ) throws(ConfigurationError) -> [String: String] {
        var applied: [String: String] = [:]
        for (variable, key) in variables {
            guard let value = environment[variable], !value.isEmpty else { continue }
            try set(key, to: value, from: variable, in: &configuration)
            applied[key] = variable
        }
        for (variable, value) in environment.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            for (prefix, section) in [(producerPrefix, "producer"), (consumerPrefix, "consumer")]
            where variable.hasPrefix(prefix) {
                let property = propertyName(String(variable.dropFirst(prefix.count)))
                guard !property.isEmpty else {
                    throw ConfigurationError(
                        file: configuration.file, key: variable,
                        problem: "names no property: write \(prefix)<PROP>, e.g. \(prefix)SASL_PASSWORD")
                }
                if section == "producer" {
                    configuration.kafka.producer[property] = value
                } else {
                    configuration.kafka.consumer[property] = value
                }
                applied["kafka.\(section).\(property)"] = variable
            }
        }
        return applied
    }

    /// `SASL_PASSWORD` → `sasl.password`.
    static func propertyName(_ suffix: String) -> String {
        String(suffix.lowercased().map { $0 == "_" ? "." : $0 })
    }

    private static func set(
        _ key: String, to value: String, from variable: String, in configuration: inout InMigrationConfiguration
    ) throws(ConfigurationError) {
        switch key {
        case "source.url": configuration.source.url = value
        case "source.schema": configuration.source.schema = value
        case "store.url": configuration.store.url = value
        case "store.kind":
            guard let kind = StoreKind(rawValue: value) else {
                let kinds = StoreKind.allCases.map(\.rawValue).joined(separator: " or ")
                throw ConfigurationError(
                    file: configuration.file, key: variable,
                    problem: "expected \(kinds), found '\(value)'")
            }
            configuration.store.kind = kind
        case "store.mongoURL": configuration.store.mongoURL = value
        case "kafka.bootstrapServers": configuration.kafka.bootstrapServers = value
        case "kafka.bootstrapFile": configuration.kafka.bootstrapFile = value
        case "kafka.group": configuration.kafka.group = value
        case "http.host": configuration.http.host = value
        case "http.port":
            guard let port = Int(value.trimmingWhitespace()) else {
                throw ConfigurationError(
                    file: configuration.file, key: variable, problem: "expected an integer, found '\(value)'")
            }
            configuration.http.port = port
        case "http.token": configuration.http.token = value
        default: preconditionFailure("no override for \(key)")
        }
    }
}
