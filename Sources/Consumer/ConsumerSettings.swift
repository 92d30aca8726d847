import Config

/// The librdkafka properties of the consumer of `IN_MIGRATION`.
///
/// Offsets are never committed automatically: the consumer commits a batch's offsets itself, and
/// only after the store holds the batch and its events are on the broker.
///
/// The prefetch is bounded so that memory stays flat however large the load: librdkafka's
/// default keeps up to 64 MiB of messages queued and fetches up to 50 MiB at once. It must still
/// hold about a second of consumption: librdkafka 2.0 stops fetching a partition for a whole
/// second when the queue is over its limit, and at 40,000 records/s (~18 MiB/s) an 8 MiB queue
/// left the consumer waiting for the broker every few batches. At the 29,000 records/s of the
/// benchmark, 16 MiB consumed as fast as 32 MiB did, and `serve` peaked 30 MiB lower.
public enum ConsumerSettings {
    /// - Throws: ``ConfigurationError`` when no bootstrap address is configured.
    public static func properties(for configuration: InMigrationConfiguration) throws -> [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": try configuration.kafka.resolvedBootstrapServers(),
            "group.id": configuration.kafka.group,
            "client.id": "inmigration-consumer",
            "enable.auto.commit": "false",
            "enable.auto.offset.store": "false",
            "auto.offset.reset": "earliest",
            "fetch.wait.max.ms": "100",
            "queued.max.messages.kbytes": "16384",
            "fetch.max.bytes": "4194304",
            "session.timeout.ms": "10000",
            "heartbeat.interval.ms": "1000",
        ]
        for (key, value) in configuration.kafka.consumer { properties[key] = value }
        return properties
    }

    /// The producer that publishes BOI events and dead letters from the outbox.
    public static func producerProperties(for configuration: InMigrationConfiguration) throws -> [String: String] {
        try configuration.producerProperties(clientID: "inmigration-outbox", tuning: ["linger.ms": "5"])
    }
}
