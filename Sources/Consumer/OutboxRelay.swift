import Kafka
import Logging
import Store
import Synchronization

/// Publishes the store's outbox (BOI events, dead letters) to Kafka in outbox order, and removes
/// what the broker acknowledged.
///
/// Only one process relays at a time (the store grants the lease), so the events of one instance
/// reach `BOI` in the order of their versions. A crash between publishing and removing publishes
/// those messages again after the restart: exact repeats, with the same event id.
final class OutboxRelay: Sendable {
    let store: any BOIStore
    let producer: KafkaProducer
    let logger: Logger
    var batchSize: Int { 5_000 }
    var timeout: Duration { .seconds(300) }
    private static let nextTag = Atomic<UInt64>(1)

    init(store: any BOIStore, producer: KafkaProducer, logger: Logger) {
        self.store = store
        self.producer = producer
        self.logger = logger
    }

    /// Publishes until the outbox is empty, if this process holds the relay lease.
    /// - Returns: how many messages were published (0 when another process relays).
    @discardableResult
    func drain() async throws -> Int {
        guard try await store.acquireOutboxRelay() else { return 0 }
        var published = 0
        while true {
            let pending = try await store.pendingOutbox(limit: batchSize)
            guard !pending.isEmpty else { return published }
            let tag = Self.nextTag.add(1, ordering: .relaxed).oldValue
            defer { producer.forget(tag: tag) }
            for message in pending {
                try producer.send(topic: message.topic, key: message.key, value: message.value, tag: tag)
            }
            let tally = await producer.awaitDelivery(tag: tag, expected: pending.count, timeout: timeout)
            guard tally.failed == 0, tally.acknowledged == pending.count else {
                throw OutboxError(
                    message:
                        "\(pending.count - tally.acknowledged) of \(pending.count) outbox messages were not acknowledged: \(tally.firstError.map { "\($0)" } ?? "timed out")"
                )
            }
            try await store.removeOutbox(pending.map(\.id))
            published += pending.count
        }
    }

    /// Waits until every outbox message up to `id` is published — by this process or by the one
    /// holding the relay lease.
    func awaitPublished(upTo id: Int64) async throws {
        while true {
            try await drain()
            guard try await store.outboxHasPending(upTo: id) else { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The outbox could not be published; nothing is lost (it stays in the store) and the consumer
/// does not commit past it.
struct OutboxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
