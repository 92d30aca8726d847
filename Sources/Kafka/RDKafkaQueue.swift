import CRdKafka
import Synchronization

/// Owns one reference to an `rd_kafka_queue_t`.
///
/// Queue references must be released before their client is destroyed, so
/// owners call `destroy()` during shutdown; `deinit` is only the safety net,
/// and the queue keeps its client object alive until then.
///
/// `@unchecked Sendable`: the pointer never changes, librdkafka queues may be
/// polled and yielded from any thread, and the one-time release is guarded by
/// a `Mutex`.
final class RDKafkaQueue: @unchecked Sendable {
    private let pointer: OpaquePointer
    private let released = Mutex(false)
    private let client: RDKafkaClient

    /// Takes over a reference returned by `rd_kafka_queue_get_*` on `client`.
    init(adopting pointer: OpaquePointer, of client: RDKafkaClient) {
        self.pointer = pointer
        self.client = client
    }

    deinit {
        destroy()
    }

    /// Waits up to `timeoutMilliseconds` for the next event. The caller must
    /// destroy the returned event with `rd_kafka_event_destroy` and must not
    /// call this after `destroy()`.
    func poll(timeoutMilliseconds: Int32) -> OpaquePointer? {
        rd_kafka_queue_poll(pointer, Int32(timeoutMilliseconds))
    }

    /// Wakes up a thread blocked in `poll`.
    func wakeUp() {
        rd_kafka_queue_yield(pointer)
    }

    /// Releases the reference; idempotent.
    func destroy() {
        let first = released.withLock { released in
            defer { released = true }
            return !released
        }
        if first {
            rd_kafka_queue_destroy(pointer)
        }
    }
}
