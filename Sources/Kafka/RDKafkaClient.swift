import CRdKafka
import Logging

/// Owns one `rd_kafka_t` (producer or consumer) and its lifetime.
///
/// Created by `make`, which frees the configuration itself when librdkafka
/// refuses it. The handle is lent to callers only inside `withHandle`, which
/// registers the use with a `HandleGate`, so `shutdown` can destroy it while
/// other threads still hold the object.
///
/// `@unchecked Sendable`: the only stored state is the immutable handle
/// pointer, which librdkafka documents as safe to use from any thread, and
/// the gate and the topic handles, which are themselves `Sendable`.
/// Destruction happens once, after the gate has drained all users, or in
/// `deinit` when nobody can use it anymore.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer

        var rdKafkaType: rd_kafka_type_t {
            switch self {
            case .producer: RD_KAFKA_PRODUCER
            case .consumer: RD_KAFKA_CONSUMER
            }
        }
    }

    private let handle: OpaquePointer
    private let gate = HandleGate()
    private let topics = RDKafkaTopics()
    let kind: Kind

    private init(handle: OpaquePointer, kind: Kind) {
        self.handle = handle
        self.kind = kind
    }

    deinit {
        if !gate.isClosed {
            topics.destroyAll()
            rd_kafka_destroy(handle)
        }
    }

    /// Creates the client; logs are routed to the main queue (`log.queue`) so
    /// they can be polled as events instead of arriving on librdkafka's threads.
    /// - Throws: `KafkaError` when librdkafka refuses the configuration.
    static func make(kind: Kind, config: RDKafkaConfig) throws -> RDKafkaClient {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let handle: OpaquePointer? = config.transferOwnership { conf in
            let handle = rd_kafka_new(kind.rdKafkaType, conf, &errorBuffer, errorBuffer.count)
            return (handle, handle != nil)
        }
        guard let handle else {
            throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: KafkaError.string(fromErrorBuffer: errorBuffer))
        }
        let client = RDKafkaClient(handle: handle, kind: kind)
        if let error = KafkaError.check(rd_kafka_set_log_queue(handle, nil)) {
            throw error
        }
        return client
    }

    /// Lends the handle to `body`. The pointer must not escape `body`.
    /// - Throws: `KafkaError.closed` after `shutdown`, or what `body` throws.
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try gate.use { try body(handle) }
    }

    /// Lends the handle and the handle of `topic` (created on first use, see ``RDKafkaTopics``)
    /// to `body`. Neither pointer may escape `body`.
    /// - Throws: `KafkaError.closed` after `shutdown`, for a topic librdkafka refuses, or what
    ///   `body` throws.
    func withHandle<T>(topic: String, _ body: (OpaquePointer, OpaquePointer) throws -> T) throws -> T {
        try gate.use {
            let topicHandle = try topics.handle(named: topic, client: handle)
            return try body(handle, topicHandle.pointer)
        }
    }

    /// True once `shutdown` has begun.
    var isClosing: Bool { gate.isClosing }

    /// Stops new uses, calls `interrupt` (to wake blocked users), waits for
    /// running uses, runs `beforeDestroy` (flush, consumer close, queue
    /// teardown) and destroys the handle. Idempotent; only the first caller
    /// does the work.
    func shutdown(interrupt: () -> Void = {}, _ beforeDestroy: (OpaquePointer) -> Void) {
        guard gate.beginClose(interrupt: interrupt) else { return }
        beforeDestroy(handle)
        topics.destroyAll()
        rd_kafka_destroy(handle)
        gate.finishClose()
    }

    /// The main queue, where logs, errors and delivery reports arrive.
    func mainQueue() throws -> RDKafkaQueue {
        try withHandle { RDKafkaQueue(adopting: rd_kafka_queue_get_main($0), of: self) }
    }

    /// The consumer group's queue, where fetched messages and rebalances arrive.
    /// - Throws: `KafkaError` when the client has no consumer group, or when closed.
    func consumerQueue() throws -> RDKafkaQueue {
        let queue = try withHandle { handle in
            rd_kafka_queue_get_consumer(handle).map { RDKafkaQueue(adopting: $0, of: self) }
        }
        guard let queue else {
            throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP, message: "the client has no consumer group queue")
        }
        return queue
    }

    /// The fatal error raised on this client, if any (`rd_kafka_fatal_error`).
    func fatalError() -> KafkaError? {
        try? withHandle { handle in
            var buffer = [CChar](repeating: 0, count: 512)
            let err = rd_kafka_fatal_error(handle, &buffer, buffer.count)
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            return KafkaError(err, message: KafkaError.string(fromErrorBuffer: buffer), isFatal: true)
        } ?? nil
    }
}
