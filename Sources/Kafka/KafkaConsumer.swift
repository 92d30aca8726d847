import CRdKafka
import Logging
import Synchronization

/// Reads records from Kafka, either as a member of a consumer group
/// (`subscribe`) or from explicitly assigned partitions (`assign`).
///
/// Why this shape: the pipeline commits offsets itself only after it has
/// stored what it read, so auto-commit and the automatic offset store are off
/// by default. Messages and group rebalances arrive as librdkafka events on
/// the consumer queue, which `poll` drains on the caller's thread; rebalances
/// are applied right there (eager: assign on assignment, unassign on
/// revocation; incremental when a cooperative assignor is configured) and
/// reported in the `KafkaPollResult`. Logs and client-wide errors go through
/// the main queue, which a small dedicated thread forwards to the `Logger`.
///
/// `poll`, `commit`, `committed`, `watermarks` and `close` block; call them
/// from a dedicated thread, not the cooperative pool.
public final class KafkaConsumer: Sendable {
    /// `RD_KAFKA_OFFSET_BEGINNING`: start at the oldest record still in the partition.
    public static let offsetBeginning = Int64(RD_KAFKA_OFFSET_BEGINNING)
    /// `RD_KAFKA_OFFSET_END`: start after the newest record.
    public static let offsetEnd = Int64(RD_KAFKA_OFFSET_END)
    /// `RD_KAFKA_OFFSET_INVALID`: no offset (e.g. nothing committed yet).
    public static let offsetInvalid = Int64(RD_KAFKA_OFFSET_INVALID)

    static let defaultProperties: [String: String] = [
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
        "auto.offset.reset": "earliest",
    ]

    static let requiredProperties: [String: String] = [
        "log.queue": "true",
    ]

    let client: RDKafkaClient
    let consumerQueue: RDKafkaQueue
    let logger: Logger
    /// An error met by a `poll` that had already collected messages; thrown by the next `poll`.
    let pendingError = Mutex<KafkaError?>(nil)
    private let pump: RDKafkaEventPump

    /// Creates the consumer.
    ///
    /// - Parameters:
    ///   - properties: librdkafka properties. Unless given: `enable.auto.commit=false`,
    ///     `enable.auto.offset.store=false`, `auto.offset.reset=earliest`. `group.id` is
    ///     needed for `subscribe` and for committing; without one a private random group
    ///     id is used, because librdkafka also needs one for `assign`.
    ///   - logger: receives librdkafka's log lines and client errors.
    /// - Throws: `KafkaError` for an unknown property or an invalid value.
    public init(properties: [String: String], logger: Logger) throws {
        var defaults = Self.defaultProperties
        defaults["group.id"] = "inmigration-private-\(UInt64.random(in: 0 ... .max))"
        let config = try RDKafkaConfig.make(properties: properties, defaults: defaults, required: Self.requiredProperties)
        config.enableEvents(RD_KAFKA_EVENT_FETCH | RD_KAFKA_EVENT_REBALANCE | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR)
        let client = try RDKafkaClient.make(kind: .consumer, config: config)
        let consumerQueue = try client.consumerQueue()
        let mainQueue = try client.mainQueue()
        self.client = client
        self.consumerQueue = consumerQueue
        self.logger = logger
        self.pump = RDKafkaEventPump(queue: mainQueue, name: "kafka-consumer-events") { event in
            _ = RDKafkaEvent.forwardToLogger(event, logger: logger)
        }
    }

    deinit {
        close()
    }

    /// Joins the consumer group and subscribes to `topics`; partitions arrive
    /// through rebalances reported by `poll`.
    /// - Throws: `KafkaError` (e.g. invalid topic), or after `close`.
    public func subscribe(_ topics: [String]) throws {
        let list = RDKafkaTopicPartitionList(topics: topics)
        try client.withHandle { handle in
            let err = list.withPointer { rd_kafka_subscribe(handle, $0) }
            if let error = KafkaError.check(err) { throw error }
        }
    }

    /// Manual assignment, replacing any previous one; consumption of each
    /// partition starts at the offset given (`offsetBeginning`, `offsetEnd`, or
    /// an absolute offset).
    /// - Throws: `KafkaError`, or after `close`.
    public func assign(_ partitions: [TopicPartitionOffset]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        try client.withHandle { handle in
            let err = list.withPointer { rd_kafka_assign(handle, $0) }
            if let error = KafkaError.check(err) { throw error }
        }
    }

    /// Leaves the group (`rd_kafka_consumer_close`) and destroys the client. Idempotent.
    /// A `poll` blocked on another thread is woken up and returns what it has
    /// (or throws `_DESTROY`); close waits for it.
    public func close() {
        let consumerQueue = consumerQueue
        let pump = pump
        let logger = logger
        client.shutdown(interrupt: { consumerQueue.wakeUp() }) { handle in
            let err = rd_kafka_consumer_close(handle)
            if let error = KafkaError.check(err) {
                logger.warning("consumer close reported an error", metadata: [KafkaLogKey.error: "\(error)"])
            }
            consumerQueue.destroy()
            pump.stop()
        }
    }
}
