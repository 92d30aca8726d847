import Config

/// The librdkafka properties of the starter's producer: durable (idempotent, `acks=all`) and
/// bounded in time, so that a broker that never comes back fails the migration visibly instead
/// of hanging it.
public enum ProducerSettings {
    /// - Throws: ``ConfigurationError`` when no bootstrap address is configured.
    public static func properties(for configuration: InMigrationConfiguration) throws -> [String: String] {
        try configuration.producerProperties(
            clientID: "inmigration-starter",
            tuning: [
                "linger.ms": "20",
                "batch.num.messages": "10000",
                "batch.size": "4000000",
                // A bounded local queue keeps memory flat and pages warm: a full queue makes the
                // reader wait for the broker instead of buffering the whole table. Bounded in
                // bytes too: 200,000 records with child rows held 140 MiB, and `serve`, where the
                // consumer shares the process, peaked at 250–310 MiB at 1M records (16 MiB: 224 MiB).
                "queue.buffering.max.messages": "200000",
                "queue.buffering.max.kbytes": "16384",
            ])
    }
}
