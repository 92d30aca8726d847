import CRdKafka
import Logging

/// Sends records to Kafka and counts their delivery reports per caller-chosen tag.
///
/// Why tags instead of per-message callbacks: the pipeline streams millions of
/// rows and only needs to know when a whole batch is durable (or why not), so
/// each message carries an integer tag in librdkafka's per-message opaque and
/// a dedicated event thread adds the delivery reports up into `DeliveryTally`
/// values. No Swift object crosses the C boundary.
///
/// Thread-safe: `send` may be called from several threads; delivery counts are
/// kept behind a `Mutex`. `send` and `close` block the calling thread, so call
/// them from a dedicated thread, not the cooperative pool.
public final class KafkaProducer: Sendable {
    /// Defaults applied unless the caller gives the property.
    static let defaultProperties: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "partitioner": "murmur2_random",
        "linger.ms": "5",
        "queue.buffering.max.messages": "500000",
        "batch.num.messages": "10000",
    ]

    /// Properties the bridge depends on (log lines arrive as events).
    static let requiredProperties: [String: String] = [
        "log.queue": "true",
    ]

    let client: RDKafkaClient
    let deliveries: DeliveryBook
    let logger: Logger
    private let pump: RDKafkaEventPump

    /// Creates the producer and starts its event-polling thread.
    ///
    /// - Parameters:
    ///   - properties: librdkafka properties (`bootstrap.servers` etc.). Unless given:
    ///     `enable.idempotence=true`, `acks=all`, `partitioner=murmur2_random`, `linger.ms=5`,
    ///     `queue.buffering.max.messages=500000`, `batch.num.messages=10000`.
    ///   - logger: receives librdkafka's log lines and client errors.
    /// - Throws: `KafkaError` for an unknown property or an invalid value.
    public init(properties: [String: String], logger: Logger) throws {
        let config = try RDKafkaConfig.make(
            properties: properties,
            defaults: Self.defaultProperties,
            required: Self.requiredProperties
        )
        config.enableEvents(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR)
        let client = try RDKafkaClient.make(kind: .producer, config: config)
        let deliveries = DeliveryBook()
        let queue = try client.mainQueue()
        self.client = client
        self.deliveries = deliveries
        self.logger = logger
        self.pump = RDKafkaEventPump(queue: queue, name: "kafka-producer-events") { event in
            if RDKafkaEvent.type(of: event) == RD_KAFKA_EVENT_DR {
                deliveries.record(deliveryReport: event, client: client)
            } else {
                _ = RDKafkaEvent.forwardToLogger(event, logger: logger)
            }
        }
    }

    deinit {
        close(flushTimeout: .milliseconds(100))
    }

    /// Fatal producer error (e.g. an idempotence guarantee could not be kept), if one occurred.
    /// A producer with a fatal error refuses further sends; create a new one.
    public var fatalError: KafkaError? {
        client.fatalError()
    }

    /// Number of partitions of a topic, from fresh metadata.
    /// - Throws: `KafkaError` on timeout, for an unknown topic, or after `close`.
    public func partitionCount(topic: String, timeout: Duration) throws -> Int32 {
        try client.partitionCount(topic: topic, timeout: timeout)
    }

    /// Flushes outstanding messages for up to `flushTimeout`, stops the event
    /// thread and destroys the client. Messages still undelivered after the
    /// flush are purged and counted as failed under their tags. Idempotent.
    public func close(flushTimeout: Duration) {
        let logger = logger
        let pump = pump
        client.shutdown { handle in
            let err = rd_kafka_flush(handle, flushTimeout.rdKafkaMilliseconds)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let remaining = rd_kafka_outq_len(handle)
                logger.warning(
                    "producer closed with undelivered messages; purging them",
                    metadata: [KafkaLogKey.remaining: "\(remaining)"]
                )
                _ = rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
                _ = rd_kafka_flush(handle, 100)
            }
            pump.stop()
        }
    }
}
