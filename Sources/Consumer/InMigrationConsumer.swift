import Config
import Domain
import Foundation
import Kafka
import Logging
import Store
import Synchronization

/// Part 2 of in-migration: the consumer group `in_migration` on `IN_MIGRATION`.
///
/// Each round: poll a batch, apply it to the store in one transaction (events go to the outbox
/// in the same transaction), publish the outbox, and only then commit the batch's offsets. A
/// crash anywhere repeats at most the last round, and the stored positions make the repeat a
/// no-op.
public final class InMigrationConsumer: Sendable {
    let consumer: KafkaConsumer
    let processor: BatchProcessor
    let relay: OutboxRelay
    let topic: String
    let logger: Logger
    let kafka: BlockingExecutor
    private let subscribed = Mutex(false)
    /// Messages per batch.
    public let batchSize: Int

    /// - Parameters:
    ///   - consumer: a consumer in the group (not yet subscribed).
    ///   - producer: publishes the outbox to `BOI` and the dead-letter topic.
    public init(
        configuration: InMigrationConfiguration, store: any BOIStore, consumer: KafkaConsumer, producer: KafkaProducer,
        batchSize: Int = 5_000, logger: Logger
    ) {
        self.consumer = consumer
        self.processor = BatchProcessor(
            store: store, assembler: Assembler(mapping: configuration.mapping), group: configuration.kafka.group,
            topics: configuration.kafka.topics, logger: logger)
        self.relay = OutboxRelay(store: store, producer: producer, logger: logger)
        self.topic = configuration.kafka.topics.inMigration
        self.logger = logger
        self.kafka = BlockingExecutor(label: "inmigration.consumer.kafka")
        self.batchSize = batchSize
    }

    /// Consumes until cancelled, or — with `untilIdle` — until the group has no lag left, the
    /// outbox is empty and `finished` agrees (it is asked only when the rest holds).
    ///
    /// Rounds overlap by one step: while the broker acknowledges a batch's events, the next batch
    /// is polled and applied; the batch's offsets are committed once its events are acknowledged.
    /// Cancelled, it leaves the last batch's offsets uncommitted; its redelivery is a no-op.
    public func run(untilIdle: Bool = false, finished: @Sendable () async -> Bool = { true }) async throws {
        let consumer = self.consumer
        let topic = self.topic
        // Subscribing again would make the group rebalance for nothing.
        if subscribed.withLock({ subscribed in defer { subscribed = true }; return !subscribed }) {
            try await kafka.run { try consumer.subscribe([topic]) }
        }
        try await relay.drain()
        var unsettled: Unsettled?
        var idleRounds = 0
        while !Task.isCancelled {
            let batchSize = self.batchSize
            let polled = try await kafka.run { try consumer.poll(max: batchSize, timeout: .milliseconds(250)) }
            unsettled?.drop(revoked: polled.revoked)
            if polled.messages.isEmpty {
                try await settle(unsettled)
                unsettled = nil
                try await relay.drain()
                if untilIdle {
                    idleRounds += 1
                    if idleRounds >= 2, await isIdleOrUnknown(), await finished() { return }
                }
                continue
            }
            idleRounds = 0
            unsettled = try await round(polled.messages, after: unsettled)
        }
    }

    /// A batch applied and its events sent, whose offsets wait for the acknowledgements.
    struct Unsettled: Sendable {
        var publication: OutboxRelay.Publication
        var offsets: [TopicPartitionOffset]

        /// Partitions revoked meanwhile are no longer this member's to commit (a commit in a
        /// rebalance fails): their next owner gets the batch again, and its stored positions
        /// make that a no-op.
        mutating func drop(revoked: [TopicPartition]) {
            guard !revoked.isEmpty else { return }
            let revoked = Set(revoked)
            offsets.removeAll { revoked.contains($0.topicPartition) }
        }
    }

    /// One polled batch, in as many transactions as the processor needs: apply; settle the
    /// previous transaction's batch; publish. Returns the last one when its events are still on
    /// their way.
    func round(_ messages: [KafkaMessage], after previous: Unsettled?) async throws -> Unsettled? {
        var unsettled = previous
        var messages = messages
        repeat {
            let started = ContinuousClock.now
            let outcome = try await processor.process(messages, ends: logEnds(of: messages))
            ConsumerMetrics.applied(
                outcome.stats, mapping: processor.assembler.mapping, duration: ContinuousClock.now - started)
            try await settle(unsettled)
            logger.debug(
                "batch applied",
                metadata: [
                    "records": "\(outcome.records)", "skipped": "\(outcome.skipped)", "offsets": "\(outcome.offsets.count)",
                    "left": "\(outcome.remainder.count)",
                ])
            unsettled = try await publish(outcome)
            messages = outcome.remainder
        } while !messages.isEmpty
        return unsettled
    }

    /// Sends an applied batch's events; returns the batch when they are still on their way,
    /// after committing its offsets when they are not.
    private func publish(_ outcome: BatchProcessor.Outcome) async throws -> Unsettled? {
        if let publication = try await relay.publish(outcome.outbox) {
            return Unsettled(publication: publication, offsets: outcome.offsets)
        }
        if let last = outcome.outbox.last?.id {
            try await relay.awaitPublished(upTo: last)
        }
        try await commit(outcome.offsets)
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

    private func commit(_ offsets: [TopicPartitionOffset]) async throws {
        guard !offsets.isEmpty else { return }
        let consumer = self.consumer
        try await kafka.run { try consumer.commit(offsets) }
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
