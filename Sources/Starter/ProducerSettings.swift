import Config

/// The librdkafka properties of the starter's producer: durable (idempotent, `acks=all`) and
/// bounded in time, so that a broker that never comes back fails the migration visibly instead
/// of hanging it.
public enum ProducerSettings {
    /// - Throws: ``ConfigurationError`` when no bootstrap address is configured.
    public static func properties(for configuration: InMigrationConfiguration) throws -> [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": try configuration.kafka.resolvedBootstrapServers(),
            "client.id": "inmigration-starter",
            "enable.idempotence": "true",
            "acks": "all",
            "message.timeout.ms": String(configuration.kafka.deliveryTimeout.milliseconds),
            "linger.ms": "20",
            "batch.num.messages": "10000",
            "batch.size": "4000000",
            // A bounded local queue keeps memory flat and pages warm: a full queue makes the reader
            // wait for the broker instead of buffering the whole table.
            "queue.buffering.max.messages": "200000",
            "queue.buffering.max.kbytes": "32768",
        ]
        for (key, value) in configuration.kafka.producer { properties[key] = value }
        return properties
    }
}
