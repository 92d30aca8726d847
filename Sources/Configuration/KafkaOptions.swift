import Foundation

/// The broker connection, topic names and consumer group, plus raw librdkafka properties for
/// anything this file does not name (security settings, tuning).
public struct KafkaOptions: Sendable, Hashable {
    /// `host:port[,host:port…]`. Override: `INMIGRATION_KAFKA_BOOTSTRAP`.
    public var bootstrapServers: String?
    /// A file holding the bootstrap address, written by `inmigration dev-broker`; read when
    /// ``bootstrapServers`` is `nil`. A relative path is taken from the current directory.
    /// Override: `INMIGRATION_KAFKA_BOOTSTRAP_FILE`.
    public var bootstrapFile: String?
    public var topics = Topics()
    /// The consumer group of the assembling consumer. Override: `INMIGRATION_KAFKA_GROUP`.
    public var group = "in_migration"
    /// How long the producer may try to deliver one message before reporting it failed
    /// (librdkafka `delivery.timeout.ms`).
    public var deliveryTimeout: ConfigDuration = .seconds(120)
    /// The partition count `inmigration dev-broker` gives the topics it creates.
    public var partitions: Int32 = 8
    /// Extra librdkafka properties for the producer (`compression.type`, `sasl.password`…).
    /// Override one with `INMIGRATION_KAFKA_PRODUCER_<PROP>`.
    public var producer: [String: String] = [:]
    /// Extra librdkafka properties for the consumer. Override one with `INMIGRATION_KAFKA_CONSUMER_<PROP>`.
    public var consumer: [String: String] = [:]

    public init() {}

    /// The topic names; the defaults are the seed's.
    public struct Topics: Sendable, Hashable {
        /// Every in-table record, streamed by the starter, read by the consumer group.
        public var inMigration = "IN_MIGRATION"
        /// Change events of business-object instances, keyed by boiId, for downstream consumers.
        public var boi = "BOI"
        /// Records that could not be processed, with their reason.
        public var deadLetter = "IN_MIGRATION_DLQ"

        public init() {}

        /// Every topic the product uses, in the order above.
        public var all: [String] { [inMigration, boi, deadLetter] }
    }

    /// The bootstrap address to connect to: ``bootstrapServers``, else the trimmed content of
    /// ``bootstrapFile``.
    ///
    /// - Parameter file: The configuration file, named in the error.
    /// - Throws: ``ConfigurationError`` when neither is set, or the file cannot be read or is empty.
    public func resolvedBootstrapServers(file: String = "<configuration>") throws(ConfigurationError) -> String {
        if let bootstrapServers { return bootstrapServers }
        guard let bootstrapFile else {
            throw ConfigurationError(
                file: file, key: "kafka.bootstrapServers",
                problem: "no broker address: set kafka.bootstrapServers, kafka.bootstrapFile "
                    + "or INMIGRATION_KAFKA_BOOTSTRAP")
        }
        let content: String
        do {
            content = try String(contentsOfFile: bootstrapFile, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                file: file, key: "kafka.bootstrapFile",
                problem: "cannot read '\(bootstrapFile)' (is `inmigration dev-broker` running?), "
                    + "or set kafka.bootstrapServers")
        }
        let address = content.trimmingWhitespace()
        guard !address.isEmpty else {
            throw ConfigurationError(file: file, key: "kafka.bootstrapFile", problem: "'\(bootstrapFile)' is empty")
        }
        return address
    }
}
