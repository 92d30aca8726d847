import Config
import Domain
import Foundation
import Kafka
import Logging
import Store
import Synchronization

/// Part 2 of in-migration: the consumer group `in_migration` on `IN_MIGRATION`.
///
/// Each transaction applies polled messages to the store (events go to the outbox in the same
/// transaction); its events are published, and only then are its offsets committed. A crash
/// anywhere repeats at most the transactions not yet committed to Kafka, and the stored
/// positions make the repeat a no-op.
///
/// The partitions are shared among lanes, each applying its own in transactions one after the
/// other, all lanes at once: while the database works on one lane's transaction, another's is
/// assembled. Lanes never share a partition, and records that may merge on a unique key share
/// one (the starter keys them so); what two lanes still contend for — an instance both reach,
/// say — the store's locks order, and a clash makes one lane retry.
public final class InMigrationConsumer: Sendable {
    let consumer: KafkaConsumer
    let processor: BatchProcessor
    let relay: OutboxRelay
    let topic: String
    let logger: Logger
    let kafka: BlockingExecutor
    private let subscribed = Mutex(false)
    /// Offsets a failed commit left, per partition, for the next commit to take along.
    private let uncommitted = Mutex<[Int32: Int64]>([:])
    /// Messages polled at once; each lane applies up to its part of them per transaction.
    public let batchSize: Int
    /// Transactions applied at once (``ConsumerOptions/lanes``).
    public let lanes: Int

    /// - Parameters:
    ///   - consumer: a consumer in the group (not yet subscribed).
    ///   - store: a store that runs as many transactions at once as
    ///     `configuration.consumer.lanes` (more lanes than that only queue).
    ///   - producer: publishes the outbox to `BOI` and the dead-letter topic.
    public init(
        configuration: InMigrationConfiguration, store: any BOIStore, consumer: KafkaConsumer, producer: KafkaProducer,
        logger: Logger
    ) {
        self.consumer = consumer
        self.processor = BatchProcessor(
            store: store, assembler: Assembler(mapping: configuration.mapping), group: configuration.kafka.group,
            topics: configuration.kafka.topics, logger: logger)
        self.relay = OutboxRelay(store: store, producer: producer, logger: logger)
        self.topic = configuration.kafka.topics.inMigration
        self.logger = logger
        self.kafka = BlockingExecutor(label: "inmigration.consumer.kafka")
        self.batchSize = configuration.consumer.batchSize
        self.lanes = configuration.consumer.lanes
    }

    /// Consumes until cancelled, or — with `untilIdle` — until the group has no lag left, the
    /// outbox is empty and `finished` agrees (it is asked only when the rest holds).
    /// - Parameter caughtUp: called (without waiting) when a poll finds nothing after batches were
    ///   applied and their offsets committed: `serve` rings the monitor with it.
    ///
    /// Each lane applies its partitions' messages one transaction after the other, and takes its
    /// next share as soon as its last is done (``LaneQueues``). A finished transaction's events
    /// are sent at once; its offsets are committed once those events are acknowledged, which
    /// is awaited only when the next transaction finishes. Cancelled, it leaves the last
    /// transaction's offsets uncommitted; their redelivery is a no-op.
    public func run(
        untilIdle: Bool = false, finished: @Sendable () async -> Bool = { true }, caughtUp: @Sendable () -> Void = {}
    ) async throws {
        let consumer = self.consumer
        let topic = self.topic
        // Subscribing again would make the group rebalance for nothing.
        if subscribed.withLock({ subscribed in defer { subscribed = true }; return !subscribed }) {
            try await kafka.run { try consumer.subscribe([topic]) }
        }
        try await relay.drain()
        try await withThrowingTaskGroup(of: LaneOutcome.self) { lanes in
            var queues = LaneQueues(lanes: self.lanes, batchSize: batchSize)
            var unsettled: Unsettled?
            var idleRounds = 0
            // Transactions applied since the last poll that found nothing.
            var applied = false
            while !Task.isCancelled {
                if queues.wantsMessages {
                    let room = queues.room
                    let wait: Duration = queues.isBusy || queues.held > 0 ? .zero : .milliseconds(250)
                    let polled = try await kafka.run { try consumer.poll(max: room, timeout: wait) }
                    // A poll ends at a rebalance: its messages of revoked partitions came before it,
                    // and come again from the committed offsets should the partitions come back.
                    queues.revoke(polled.revoked.map(\.partition))
                    forgetUncommitted(polled.revoked.map(\.partition))
                    queues.assign(polled.assigned.map(\.partition))
                    unsettled?.offsets.removeAll { !queues.owns($0.partition) }
                    queues.enqueue(polled.messages)
                    if !polled.messages.isEmpty { idleRounds = 0 }
                }
                while let (lane, share) = queues.start() {
                    lanes.addTask { LaneOutcome(lane: lane, outcome: try await self.apply(share)) }
                }
                if queues.isIdle {
                    try await settle(unsettled)
                    unsettled = nil
                    try await commit([])
                    try await relay.drain()
                    relay.forgetDrained()
                    if applied { caughtUp() }
                    applied = false
                    if untilIdle {
                        idleRounds += 1
                        if idleRounds >= 2, await isIdleOrUnknown(), await finished() { return }
                    }
                    continue
                }
                guard let done = try await lanes.next() else { continue }
                applied = true
                queues.finished(lane: done.lane, remainder: done.outcome.remainder)
                try await settle(unsettled)
                unsettled = try await publish(
                    done.outcome.outbox, offsets: done.outcome.offsets.filter { queues.owns($0.partition) })
            }
        }
    }

    /// A lane's finished transaction.
    struct LaneOutcome: Sendable {
        var lane: Int
        var outcome: BatchProcessor.Outcome
    }

    /// A transaction applied and its events sent, whose offsets wait for the acknowledgements.
    /// Offsets of partitions revoked meanwhile are dropped: they are no longer this member's to
    /// commit (a commit in a rebalance fails), their next owner gets the messages again, and its
    /// stored positions make that a no-op.
    struct Unsettled: Sendable {
        var publication: OutboxRelay.Publication
        var offsets: [TopicPartitionOffset]
    }

    private func apply(_ messages: [KafkaMessage]) async throws -> BatchProcessor.Outcome {
        let started = ContinuousClock.now
        let outcome = try await processor.process(messages, ends: logEnds(of: messages))
        ConsumerMetrics.applied(
            outcome.stats, mapping: processor.assembler.mapping, duration: ContinuousClock.now - started)
        logger.debug(
            "batch applied",
            metadata: [
                "records": "\(outcome.records)", "skipped": "\(outcome.skipped)", "offsets": "\(outcome.offsets.count)",
                "left": "\(outcome.remainder.count)",
            ])
        return outcome
    }

    /// Sends applied batches' events (in outbox order); returns them when they are still on
    /// their way, after committing their offsets when they are not.
    private func publish(_ outbox: [OutboxMessage], offsets: [TopicPartitionOffset]) async throws -> Unsettled? {
        if let publication = try await relay.publish(outbox) {
            return Unsettled(publication: publication, offsets: offsets)
        }
        if let last = outbox.last?.id {
            try await relay.awaitPublished(upTo: last)
        }
        try await commit(offsets)
        return nil
    }

    /// The high watermarks the broker last reported for the messages' partitions (no request).
    private func logEnds(of messages: [KafkaMessage]) -> [Int32: Int64] {
        var ends: [Int32: Int64] = [:]
        for partition in Set(messages.map(\.partition)) {
            ends[partition] = consumer.cachedHighWatermark(topic: topic, partition: partition)
        }
        return ends
    }

    /// Waits for a batch's events, then commits its offsets.
    private func settle(_ batch: Unsettled?) async throws {
        guard let batch else { return }
        let started = ContinuousClock.now
        try await relay.settle(batch.publication)
        ConsumerMetrics.settled(waited: ContinuousClock.now - started)
        try await commit(batch.offsets)
    }

    /// Commits `offsets` with whatever a failed commit left, the furthest per partition. A commit
    /// refused by the broker (a rebalance under way, a coordinator moving) is logged and kept for
    /// the next one: the store's positions hold the batches already, so a redelivery meanwhile
    /// changes nothing, and the group's lag reaches 0 once a later commit goes through.
    private func commit(_ offsets: [TopicPartitionOffset]) async throws {
        let pending = uncommitted.withLock { pending in
            for offset in offsets { pending[offset.partition] = max(pending[offset.partition] ?? 0, offset.offset) }
            return pending.sorted { $0.key < $1.key }
                .map { TopicPartitionOffset(topic: topic, partition: $0.key, offset: $0.value) }
        }
        guard !pending.isEmpty else { return }
        let consumer = self.consumer
        do {
            try await kafka.run { try consumer.commit(pending) }
        } catch let error as KafkaError {
            logger.warning(
                "offsets not committed, kept for the next commit",
                metadata: ["partitions": "\(pending.count)", "error": "\(error)"])
            return
        }
        uncommitted.withLock { current in
            for offset in pending where current[offset.partition] == offset.offset { current[offset.partition] = nil }
        }
    }

    /// Offsets of revoked partitions are no longer this member's to commit.
    private func forgetUncommitted(_ partitions: [Int32]) {
        guard !partitions.isEmpty else { return }
        uncommitted.withLock { pending in
            for partition in partitions { pending[partition] = nil }
        }
    }

    /// `isIdle`, where a broker that cannot answer right now (say, mid-rebalance) means "not yet".
    private func isIdleOrUnknown() async -> Bool {
        do {
            return try await isIdle()
        } catch {
            logger.debug("lag not known yet", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The group's lag on the topic is 0: every partition's committed offset reached its end.
    public func isIdle() async throws -> Bool {
        let consumer = self.consumer
        let topic = self.topic
        return try await kafka.run {
            let partitions = try consumer.partitionCount(topic: topic, timeout: .seconds(10))
            let committed = try consumer.committed(
                (0..<partitions).map { TopicPartition(topic: topic, partition: $0) }, timeout: .seconds(10))
            let positions = Dictionary(uniqueKeysWithValues: committed.map { ($0.partition, $0.offset) })
            let watermarks = try consumer.watermarks(topic: topic, partitions: Array(0..<partitions), timeout: .seconds(10))
            return watermarks.allSatisfy { partition, watermarks in
                (positions[partition].flatMap { $0 >= 0 ? $0 : nil } ?? watermarks.low) >= watermarks.high
            }
        }
    }

    /// Leaves the group (the partitions go to the other members at once).
    public func close() async {
        let consumer = self.consumer
        _ = try? await kafka.run { consumer.close() }
    }
}
