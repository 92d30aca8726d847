import CRdKafka
import Logging

/// librdkafka's mock cluster as a stand-alone Kafka-protocol broker on
/// 127.0.0.1 (random ports), for tests and local runs without a real Kafka.
///
/// Why: no Kafka broker can run on the project's machines, but any client in
/// any process can connect to the mock brokers through `bootstrapServers`.
/// The cluster is hosted by a private producer handle that never connects
/// anywhere; its log lines go to `logger`. Limits inherited from librdkafka:
/// topics are created with `createTopic` (CreateTopics is not supported) and
/// each partition keeps at most about 5 MiB or 100,000 messages.
public final class KafkaMockCluster: Sendable {
    private let cluster: RDKafkaMockCluster
    private let pump: RDKafkaEventPump

    /// Number of brokers; their ids are `1...brokerCount`.
    public let brokerCount: Int

    /// Starts the brokers.
    /// - Parameters:
    ///   - brokers: how many brokers (ids 1...brokers).
    ///   - logger: receives the mock cluster's log lines.
    /// - Throws: `KafkaError` when the hosting client or the cluster cannot be created.
    public init(brokers: Int = 1, logger: Logger) throws {
        // The host never connects anywhere: warnings and worse are enough (this
        // also hides its notice about having no bootstrap.servers).
        let config = try RDKafkaConfig.make(properties: [:], defaults: [:], required: ["log.queue": "true", "log_level": "4"])
        config.enableEvents(RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR)
        let host = try RDKafkaClient.make(kind: .producer, config: config)
        let queue = try host.mainQueue()
        let cluster: RDKafkaMockCluster
        do {
            cluster = try RDKafkaMockCluster(host: host, brokers: brokers)
        } catch {
            queue.destroy()
            throw error
        }
        self.cluster = cluster
        self.brokerCount = brokers
        self.pump = RDKafkaEventPump(queue: queue, name: "kafka-mock-events") { event in
            _ = RDKafkaEvent.forwardToLogger(event, logger: logger)
        }
    }

    deinit {
        close()
    }

    /// Comma-separated `host:port` list to use as `bootstrap.servers`.
    public var bootstrapServers: String { cluster.bootstrapServers }

    /// Creates a topic (`rd_kafka_mock_topic_create`).
    /// - Throws: `KafkaError`, e.g. when the replication factor exceeds the broker count.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try cluster.command { rd_kafka_mock_topic_create($0, name, partitions, replicationFactor) }
    }

    /// Takes a broker down (drops its connections, refuses new ones) or brings it back up.
    /// Leadership does not move.
    /// - Throws: `KafkaError` for an unknown broker id.
    public func setBroker(_ id: Int32, up: Bool) throws {
        try cluster.command { up ? rd_kafka_mock_broker_set_up($0, id) : rd_kafka_mock_broker_set_down($0, id) }
    }

    /// Takes every broker down or brings every broker back up.
    /// - Throws: `KafkaError` from the first broker that failed.
    public func setAllBrokers(up: Bool) throws {
        for id in 1 ... Int32(max(brokerCount, 1)) {
            try setBroker(id, up: up)
        }
    }

    /// Delays every response of a broker by `milliseconds`.
    /// - Throws: `KafkaError` for an unknown broker id.
    public func setRoundTripTime(broker: Int32, milliseconds: Int32) throws {
        try cluster.command { rd_kafka_mock_broker_set_rtt($0, broker, milliseconds) }
    }

    /// Makes the next requests of one kind fail, one error per request, in order, whichever
    /// broker they go to (`rd_kafka_mock_push_request_errors_array`).
    /// - Parameters:
    ///   - apiKey: the Kafka protocol's request kind, e.g. 8 for OffsetCommit.
    ///   - errors: librdkafka error codes, e.g. 27 for REBALANCE_IN_PROGRESS.
    /// - Throws: `KafkaError.closed` after ``close()``.
    public func failNextRequests(apiKey: Int16, with errors: [Int32]) throws {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        try cluster.command { pointer in
            codes.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(pointer, apiKey, $0.count, $0.baseAddress) }
            return RD_KAFKA_RESP_ERR_NO_ERROR
        }
    }

    /// Stops the brokers and frees everything. Idempotent.
    public func close() {
        cluster.destroy()
        let pump = pump
        cluster.host.shutdown { _ in pump.stop() }
    }
}
