import CRdKafka

/// Owns an `rd_kafka_conf_t` until `rd_kafka_new` takes it over.
///
/// librdkafka frees the configuration only when the client was created, so
/// this class frees it in `deinit` unless ownership was handed over with
/// `transferOwnership(_:)`. Used only during construction, on one thread.
final class RDKafkaConfig {
    private var pointer: OpaquePointer?

    init() {
        pointer = rd_kafka_conf_new()
    }

    deinit {
        if let pointer {
            rd_kafka_conf_destroy(pointer)
        }
    }

    /// Builds a configuration from user properties over module defaults.
    ///
    /// - Parameters:
    ///   - properties: librdkafka properties given by the caller; they win over `defaults`.
    ///   - defaults: values applied when the caller did not give the key.
    ///   - required: values the bridge depends on; they win over everything.
    /// - Throws: `KafkaError` with `_INVALID_ARG` for an unknown property or invalid value.
    static func make(
        properties: [String: String],
        defaults: [String: String],
        required: [String: String]
    ) throws -> RDKafkaConfig {
        let config = RDKafkaConfig()
        var merged = defaults
        merged.merge(properties) { _, given in given }
        merged.merge(required) { _, needed in needed }
        for key in merged.keys.sorted() {
            try config.set(key, merged[key]!)
        }
        return config
    }

    /// Sets one property.
    /// - Throws: `KafkaError` with `_INVALID_ARG`; the message never contains the value of a secret property.
    func set(_ key: String, _ value: String) throws {
        guard let pointer else { preconditionFailure("configuration already handed to librdkafka") }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &errorBuffer, errorBuffer.count)
        guard result != RD_KAFKA_CONF_OK else { return }
        let detail: String
        if Self.isSensitive(key) {
            detail = result == RD_KAFKA_CONF_UNKNOWN
                ? "unknown configuration property \"\(key)\""
                : "invalid value for configuration property \"\(key)\" (value not shown)"
        } else {
            detail = KafkaError.string(fromErrorBuffer: errorBuffer)
        }
        throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: detail)
    }

    /// Enables the given `RD_KAFKA_EVENT_*` types on the client's queues.
    func enableEvents(_ events: Int32) {
        guard let pointer else { preconditionFailure("configuration already handed to librdkafka") }
        rd_kafka_conf_set_events(pointer, events)
    }

    /// Lends the pointer to `rd_kafka_new`; when `body` reports success the
    /// configuration belongs to librdkafka and is no longer freed here.
    /// The pointer must not escape `body`.
    func transferOwnership<T>(_ body: (OpaquePointer) throws -> (result: T, consumed: Bool)) rethrows -> T {
        guard let pointer else { preconditionFailure("configuration already handed to librdkafka") }
        let outcome = try body(pointer)
        if outcome.consumed {
            self.pointer = nil
        }
        return outcome.result
    }

    /// Property names whose values are credentials and must never appear in errors or logs.
    static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "jaas", "oauthbearer", "token", "credential", "ssl.key", "ssl_key", "certificate.pem"]
            .contains { lowered.contains($0) }
    }
}
