import Domain
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
///
/// Two ways: ``drain()`` reads the outbox back and waits for each chunk's acknowledgements;
/// ``publish(_:)`` sends a batch that was just committed from memory and leaves the wait to
/// ``settle(_:)``, so the consumer can work on the next batch meanwhile. A publication must be
/// settled before the next `drain`, `awaitPublished` or `publish`: until then its messages are
/// still in the outbox, and reading them back would send them twice.
final class OutboxRelay: Sendable {
    let store: any BOIStore
    let producer: KafkaProducer
    let logger: Logger
    var batchSize: Int { 5_000 }
    var timeout: Duration { .seconds(300) }
    private static let nextTag = Atomic<UInt64>(1)
    /// Outbox entries ``drain()`` published, which a lane's transaction may still report to
    /// ``publish(_:)``: a lane can commit while an earlier transaction's events are drained.
    private let drained = Mutex<Set<Int64>>([])

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
            let sent = try await send(pending, tag: tag)
            let tally = await producer.awaitDelivery(tag: tag, expected: sent, timeout: timeout)
            try Self.check(tally, expected: sent)
            let entries = Self.entries(of: pending)
            try await store.removeOutbox(entries)
            drained.withLock { $0.formUnion(entries) }
            published += sent
        }
    }

    /// Messages sent by ``publish(_:)`` whose acknowledgements are still to be awaited.
    struct Publication: Sendable {
        let tag: UInt64
        /// The outbox entries holding them, to remove once acknowledged.
        let ids: [Int64]
        /// How many messages were sent.
        let count: Int
    }

    /// Sends just-committed batches' outbox messages from memory, without reading them back —
    /// if they are next in outbox order: this process holds the relay lease, nothing older than
    /// their last entry waits in the outbox but their own entries, and no ``drain()`` published
    /// these already. An instance's earlier event, written by another transaction, was committed
    /// before these batches could lock the instance, so the check sees it.
    /// - Parameter messages: the batches' messages with their outbox id, in outbox order.
    /// - Returns: what to ``settle(_:)``; `nil` when nothing was sent, and the batches must go
    ///   through ``awaitPublished(upTo:)`` instead.
    func publish(_ messages: [OutboxMessage]) async throws -> Publication? {
        let entries = Self.entries(of: messages)
        let wasDrained = drained.withLock { drained in
            entries.reduce(false) { wasDrained, entry in drained.remove(entry) != nil || wasDrained }
        }
        guard let last = entries.last, !wasDrained, try await store.acquireOutboxRelay(),
            try await !store.outboxHasPending(upTo: last, except: entries)
        else { return nil }
        let tag = Self.nextTag.add(1, ordering: .relaxed).oldValue
        do {
            return Publication(tag: tag, ids: entries, count: try await send(messages, tag: tag))
        } catch {
            producer.forget(tag: tag)
            throw error
        }
    }

    /// Hands each message to the producer. One it refuses as larger than it takes
    /// (`message.max.bytes`) would be refused however often it is tried, and stop every message
    /// after it for good: it is left out and reported in the journal (`migration_error`) and the
    /// log instead, before its outbox entry can be removed.
    /// - Returns: how many were sent.
    private func send(_ messages: [OutboxMessage], tag: UInt64) async throws -> Int {
        var refused: [RecordError] = []
        for message in messages {
            do {
                try producer.send(topic: message.topic, key: message.key, value: message.value, tag: tag)
            } catch let error as KafkaError where error.code == KafkaError.Codes.messageSizeTooLarge {
                refused.append(OversizedMessage.error(for: message, reason: error.message))
            }
        }
        guard !refused.isEmpty else { return messages.count }
        var changes = StoreChanges()
        changes.errors = refused
        let report = changes
        _ = try await store.transaction { try $0.apply(report) }
        for error in refused {
            logger.error(
                "an outgoing message is larger than the producer takes and was not published",
                metadata: ["migration_id": "\(error.migrationID)", "reason": "\(error.reason)"])
        }
        return messages.count - refused.count
    }

    /// Waits until the broker acknowledged every message of `publication`, then removes them
    /// from the outbox.
    /// - Throws: ``OutboxError`` when some were not acknowledged; they stay in the outbox.
    func settle(_ publication: Publication) async throws {
        defer { producer.forget(tag: publication.tag) }
        let tally = await producer.awaitDelivery(tag: publication.tag, expected: publication.count, timeout: timeout)
        try Self.check(tally, expected: publication.count)
        try await store.removeOutbox(publication.ids)
    }

    /// Forgets what ``drain()`` published; call when no transaction whose entries it may have
    /// published is still to be reported to ``publish(_:)``.
    func forgetDrained() {
        drained.withLock { $0.removeAll() }
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

extension OutboxRelay {
    /// The outbox entries the messages came from, each once, ascending.
    fileprivate static func entries(of messages: [OutboxMessage]) -> [Int64] {
        Array(Set(messages.map(\.id))).sorted()
    }

    /// - Throws: ``OutboxError`` unless all `expected` messages were acknowledged.
    fileprivate static func check(_ tally: DeliveryTally, expected: Int) throws {
        guard tally.failed != 0 || tally.acknowledged != expected else { return }
        throw OutboxError(
            message:
                "\(expected - tally.acknowledged) of \(expected) outbox messages were not acknowledged: \(tally.firstError.map { "\($0)" } ?? "timed out")"
        )
    }
}

/// The outbox could not be published; nothing is lost (it stays in the store) and the consumer
/// does not commit past it.
struct OutboxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
