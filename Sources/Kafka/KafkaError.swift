import CRdKafka

/// The one error type of the Kafka bridge.
///
/// Every failure reported by librdkafka (an enqueue that was refused, a delivery
/// report, a consumer error, a configuration property that was rejected) is
/// turned into this value, so callers never see a C error code they cannot
/// interpret. `code` and `codeName` are librdkafka's `rd_kafka_resp_err_t`
/// (negative codes are local to the client, positive ones come from the
/// broker); `isFatal` means the client instance is unusable and must be
/// recreated; `isRetriable` means the same request may succeed later.
///
/// `description` carries only the code, its name and librdkafka's message.
/// Messages about configuration properties whose values are secrets
/// (passwords, keys, tokens) are replaced by a generic text before they get
/// here, so the value can be logged safely.
public struct KafkaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`).
    public var code: Int32
    /// librdkafka's symbolic name of `code`, e.g. `_MSG_TIMED_OUT` or `UNKNOWN_TOPIC_OR_PART`.
    public var codeName: String
    /// Human-readable detail.
    public var message: String
    /// The client instance that reported this error cannot be used any more.
    public var isFatal: Bool
    /// Retrying the same operation may succeed.
    public var isRetriable: Bool

    /// Creates an error from its parts; meant for tests and fakes of the bridge.
    public init(code: Int32, codeName: String, message: String, isFatal: Bool = false, isRetriable: Bool = false) {
        self.code = code
        self.codeName = codeName
        self.message = message
        self.isFatal = isFatal
        self.isRetriable = isRetriable
    }

    public var description: String {
        var flags: [String] = []
        if isFatal { flags.append("fatal") }
        if isRetriable { flags.append("retriable") }
        let suffix = flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"
        return "KafkaError \(codeName) [\(code)]: \(message)\(suffix)"
    }
}

extension KafkaError {
    /// Codes a caller may want to tell apart without importing librdkafka.
    public enum Codes {
        /// The message was not delivered within `message.timeout.ms`.
        public static let messageTimedOut = Int32(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue)
        /// The local producer queue is full.
        public static let queueFull = Int32(RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue)
        /// The message is larger than the producer's `message.max.bytes`.
        public static let messageSizeTooLarge = Int32(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue)
        /// The topic or partition does not exist on the cluster.
        public static let unknownTopicOrPartition = Int32(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue)
        /// The topic is not known to the client.
        public static let unknownTopic = Int32(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue)
        /// The requested offset is outside the partition's log.
        public static let offsetOutOfRange = Int32(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE.rawValue)
        /// The consumer's offset was invalid and `auto.offset.reset=error`.
        public static let autoOffsetReset = Int32(RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET.rawValue)
        /// A local operation timed out.
        public static let timedOut = Int32(RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue)
        /// The client has been closed.
        public static let destroyed = Int32(RD_KAFKA_RESP_ERR__DESTROY.rawValue)
        /// An argument or configuration property was invalid.
        public static let invalidArgument = Int32(RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue)
        /// A fatal error was raised; see `KafkaProducer.fatalError`.
        public static let fatal = Int32(RD_KAFKA_RESP_ERR__FATAL.rawValue)
    }
}

// MARK: - Construction from librdkafka values

extension KafkaError {
    /// An error for a bare `rd_kafka_resp_err_t`, with an optional more specific message.
    init(_ err: rd_kafka_resp_err_t, message: String? = nil, isFatal: Bool = false, isRetriable: Bool = false) {
        self.init(
            code: Int32(err.rawValue),
            codeName: String(cString: rd_kafka_err2name(err)),
            message: message ?? String(cString: rd_kafka_err2str(err)),
            isFatal: isFatal,
            isRetriable: isRetriable
        )
    }

    /// Reads an `rd_kafka_error_t` and destroys it: the pointer must not be used afterwards.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        let message = rd_kafka_error_string(error).map { String(cString: $0) }
        self.init(
            rd_kafka_error_code(error),
            message: message,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0
        )
    }

    /// Returns nil for `RD_KAFKA_RESP_ERR_NO_ERROR`.
    static func check(_ err: rd_kafka_resp_err_t, message: String? = nil) -> KafkaError? {
        err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(err, message: message)
    }

    /// The error for any use of a client after `close()`.
    static let closed = KafkaError(RD_KAFKA_RESP_ERR__DESTROY, message: "the Kafka client has been closed")

    /// A string from a fixed-size C buffer filled by librdkafka.
    static func string(fromErrorBuffer buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
