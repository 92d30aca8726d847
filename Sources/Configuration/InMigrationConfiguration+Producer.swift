extension InMigrationConfiguration {
    /// The librdkafka properties every producer of the product starts from: durable (idempotent,
    /// `acks=all`), bounded in time (`kafka.deliveryTimeout`, so a broker that never comes back
    /// fails the work visibly instead of hanging it) and in memory (a 32 MiB local queue), and
    /// compressed with lz4: records and events are JSON, which the broker then stores and sends
    /// in a fraction of the bytes (the mock broker spent a third less CPU taking a million
    /// records; the consumer, decompressing, no more).
    /// `tuning` adds to them, and the configured `kafka.producer` properties override everything.
    /// - Throws: ``ConfigurationError`` when no bootstrap address is configured.
    public func producerProperties(
        clientID: String, tuning: [String: String] = [:]
    ) throws(ConfigurationError) -> [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": try resolvedBootstrapServers(),
            "client.id": clientID,
            "enable.idempotence": "true",
            "acks": "all",
            "compression.type": "lz4",
            "message.timeout.ms": String(kafka.deliveryTimeout.milliseconds),
            "queue.buffering.max.kbytes": "32768",
        ]
        properties.merge(tuning) { $1 }
        properties.merge(kafka.producer) { $1 }
        return properties
    }
}
