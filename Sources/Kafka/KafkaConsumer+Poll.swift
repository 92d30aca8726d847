import CRdKafka
import Logging
import Synchronization

extension KafkaConsumer {
    /// Waits up to `timeout` for records, then returns up to `max` of those
    /// already available. BLOCKING: call from a dedicated thread.
    ///
    /// Returns as soon as something was received (records or a rebalance) and
    /// nothing more is immediately available, or when `timeout` has elapsed
    /// (then possibly empty). A rebalance is applied and ends the call, so the
    /// records returned with it were all fetched before it: those of revoked
    /// partitions belong to the next owner. Records are copied out of
    /// librdkafka's memory.
    ///
    /// - Throws: `KafkaError` for real consumer errors (offset out of range with
    ///   `auto.offset.reset=error`, unknown topic or partition, authorization,
    ///   fatal errors) and after `close`. Informational errors (end of
    ///   partition, lost connections that librdkafka recovers from) are only
    ///   logged. An error met after records were collected is thrown by the
    ///   next call, so no record is lost.
    /// - Precondition: `max > 0`.
    public func poll(max: Int, timeout: Duration) throws -> KafkaPollResult {
        precondition(max > 0, "poll(max:) needs a positive maximum")
        if let error = pendingError.withLock({ $0.take() }) {
            throw error
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        return try client.withHandle { handle in
            var result = KafkaPollResult()
            var topicNames = TopicNameCache()
            while result.messages.count < max {
                let wait = result.isEmpty ? (deadline - clock.now).rdKafkaMilliseconds : 0
                guard let event = consumerQueue.poll(timeoutMilliseconds: wait) else {
                    if !result.isEmpty || clock.now >= deadline { break }
                    if client.isClosing { throw KafkaError.closed }
                    continue
                }
                defer { rd_kafka_event_destroy(event) }
                let isRebalance = RDKafkaEvent.type(of: event) == RD_KAFKA_EVENT_REBALANCE
                if let error = apply(event: event, client: handle, into: &result, topicNames: &topicNames) {
                    guard result.isEmpty else {
                        pendingError.withLock { $0 = error }
                        break
                    }
                    throw error
                }
                if isRebalance { break }
            }
            return result
        }
    }

    /// Converts one consumer-queue event; returns an error that must reach the caller.
    private func apply(
        event: OpaquePointer,
        client handle: OpaquePointer,
        into result: inout KafkaPollResult,
        topicNames: inout TopicNameCache
    ) -> KafkaError? {
        switch RDKafkaEvent.type(of: event) {
        case RD_KAFKA_EVENT_FETCH:
            while let message = rd_kafka_event_message_next(event) {
                let err = message.pointee.err
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    if let error = classify(KafkaError(err, message: Self.errorText(of: message))) {
                        return error
                    }
                    continue
                }
                result.messages.append(Self.copy(message, topicNames: &topicNames))
            }
            return nil
        case RD_KAFKA_EVENT_REBALANCE:
            return rebalance(event, client: handle, into: &result)
        case RD_KAFKA_EVENT_ERROR:
            return classify(RDKafkaEvent.error(of: event))
        default:
            _ = RDKafkaEvent.forwardToLogger(event, logger: logger)
            return nil
        }
    }

    /// Decides whether a consumer error is real (returned) or informational (logged).
    private func classify(_ error: KafkaError) -> KafkaError? {
        let informational: Set<Int32> = [
            Int32(RD_KAFKA_RESP_ERR__PARTITION_EOF.rawValue),
            Int32(RD_KAFKA_RESP_ERR__TRANSPORT.rawValue),
            Int32(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue),
            Int32(RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue),
            Int32(RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED.rawValue),
            Int32(RD_KAFKA_RESP_ERR__RESOLVE.rawValue),
        ]
        if !error.isFatal, informational.contains(error.code) {
            if error.code != Int32(RD_KAFKA_RESP_ERR__PARTITION_EOF.rawValue) {
                logger.warning("consumer error", metadata: [KafkaLogKey.error: "\(error)"])
            }
            return nil
        }
        return error
    }

    /// Applies a rebalance: eager protocol replaces the whole assignment,
    /// cooperative protocol adds or removes partitions.
    private func rebalance(_ event: OpaquePointer, client handle: OpaquePointer, into result: inout KafkaPollResult) -> KafkaError? {
        let err = rd_kafka_event_error(event)
        let list = rd_kafka_event_topic_partition_list(event)
        let partitions = RDKafkaTopicPartitionList.read(list).map(\.position.topicPartition)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS where list != nil:
            result.assigned.append(contentsOf: partitions)
            if cooperative {
                return rd_kafka_incremental_assign(handle, list).map { KafkaError(consuming: $0) }
            }
            return KafkaError.check(rd_kafka_assign(handle, list))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS where list != nil:
            result.revoked.append(contentsOf: partitions)
            if cooperative {
                return rd_kafka_incremental_unassign(handle, list).map { KafkaError(consuming: $0) }
            }
            return KafkaError.check(rd_kafka_assign(handle, nil))
        default:
            logger.error("rebalance failed; dropping assignment", metadata: [KafkaLogKey.error: "\(KafkaError(err))"])
            result.revoked.append(contentsOf: partitions)
            return KafkaError.check(rd_kafka_assign(handle, nil))
        }
    }

    /// Copies a consumed record out of librdkafka's memory.
    private static func copy(_ message: UnsafePointer<rd_kafka_message_t>, topicNames: inout TopicNameCache) -> KafkaMessage {
        let record = message.pointee
        let key: [UInt8]? = record.key.map { Array(UnsafeRawBufferPointer(start: $0, count: record.key_len)) }
        let value: [UInt8] = record.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: record.len)) } ?? []
        return KafkaMessage(
            topic: topicNames.name(of: record.rkt),
            partition: record.partition,
            offset: record.offset,
            key: key,
            value: value
        )
    }

    /// For a message carrying an error, the payload is librdkafka's error text.
    private static func errorText(of message: UnsafePointer<rd_kafka_message_t>) -> String? {
        let record = message.pointee
        guard let payload = record.payload, record.len > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: payload, count: record.len)
        let detail = String(decoding: bytes, as: UTF8.self)
        let location = record.rkt.map { "\(String(cString: rd_kafka_topic_name($0)))[\(record.partition)]" } ?? ""
        return location.isEmpty ? detail : "\(location): \(detail)"
    }
}

/// Remembers the name of the last topic handle, so a batch of records from
/// one topic converts the C string only once.
struct TopicNameCache {
    private var handle: OpaquePointer?
    private var name = ""

    mutating func name(of topic: OpaquePointer?) -> String {
        guard let topic else { return "" }
        if topic != handle {
            handle = topic
            name = String(cString: rd_kafka_topic_name(topic))
        }
        return name
    }
}
