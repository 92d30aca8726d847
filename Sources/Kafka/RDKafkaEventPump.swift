import CRdKafka
import Dispatch
import Foundation
import Synchronization

/// A dedicated thread that polls one librdkafka queue and hands each event to
/// a Swift handler, then destroys it.
///
/// This is how the bridge receives delivery reports, logs and errors without
/// registering C callbacks: librdkafka only enqueues events, and Swift code
/// runs on a thread this module owns (not the cooperative pool, since
/// `rd_kafka_queue_poll` blocks). The event pointer passed to the handler is
/// valid only during the call.
final class RDKafkaEventPump: Sendable {
    private let queue: RDKafkaQueue
    private let stopRequested = Atomic(false)
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread immediately.
    /// - Parameters:
    ///   - queue: the queue to drain; destroyed by `stop()`.
    ///   - name: thread name, for debuggers.
    ///   - handler: called on the pump thread for every event.
    init(queue: RDKafkaQueue, name: String, handler: @escaping @Sendable (OpaquePointer) -> Void) {
        self.queue = queue
        let thread = Thread { [self] in
            self.run(handler)
        }
        thread.name = name
        thread.start()
    }

    private func run(_ handler: (OpaquePointer) -> Void) {
        while !stopRequested.load(ordering: .acquiring) {
            guard let event = queue.poll(timeoutMilliseconds: 100) else { continue }
            handler(event)
            rd_kafka_event_destroy(event)
        }
        finished.signal()
    }

    /// Stops the thread, waits for it to finish and releases the queue.
    /// Idempotent. Must not be called from the pump thread itself.
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        stopRequested.store(true, ordering: .releasing)
        queue.wakeUp()
        finished.wait()
        queue.destroy()
    }
}
