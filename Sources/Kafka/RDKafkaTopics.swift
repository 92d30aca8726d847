import CRdKafka
import Synchronization

/// The topic handles (`rd_kafka_topic_t`) of one client, made on first use and kept until the
/// client is destroyed.
///
/// Why handles instead of producing by name: a message produced by topic name
/// (`RD_KAFKA_VTYPE_TOPIC`) makes librdkafka create its topic object without asking the cluster
/// for the topic's metadata; the message then waits, unpartitioned, for the next periodic topic
/// scan — up to a second — before anything is sent (measured: a whole second of every
/// `run --once`). `rd_kafka_topic_new` asks for the topic's leaders at once. Producing through
/// the handle also skips librdkafka's by-name lookup under its client lock on every message.
///
/// Only ``RDKafkaClient`` uses it: handles are lent inside its `withHandle`, and destroyed by
/// `destroyAll()` once no user is left, just before the client itself.
final class RDKafkaTopics: Sendable {
    private let handles = Mutex<[String: RDKafkaTopicHandle]>([:])

    /// The handle of `name`, created (and its metadata requested) on the first call.
    /// - Throws: `KafkaError` when librdkafka refuses the topic (a name longer than 512 bytes).
    func handle(named name: String, client: OpaquePointer) throws -> RDKafkaTopicHandle {
        try handles.withLock { handles in
            if let handle = handles[name] { return handle }
            guard let pointer = rd_kafka_topic_new(client, name, nil) else {
                throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: "librdkafka refused the topic name \"\(name)\"")
            }
            let handle = RDKafkaTopicHandle(pointer: pointer)
            handles[name] = handle
            return handle
        }
    }

    /// Releases every handle. Call only when no thread can use them any more: after the
    /// client's gate has drained its users, or from its `deinit`.
    func destroyAll() {
        let all = handles.withLock { handles in
            defer { handles = [:] }
            return Array(handles.values)
        }
        for handle in all { rd_kafka_topic_destroy(handle.pointer) }
    }
}

/// One `rd_kafka_topic_t`, lent only during a call on its client; it must not escape it.
///
/// `@unchecked Sendable`: the pointer never changes; librdkafka topic handles may be used from
/// any thread; and ``RDKafkaTopics`` destroys it only once no caller of the client is left.
struct RDKafkaTopicHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
