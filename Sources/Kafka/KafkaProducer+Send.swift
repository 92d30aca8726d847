import CRdKafka
import Foundation

extension KafkaProducer {
    /// Enqueues one message; key and value are copied.
    ///
    /// While librdkafka's local queue is full this waits briefly and retries
    /// (the event thread keeps draining delivery reports), so a message is
    /// never dropped for lack of room. Blocks the calling thread in that case.
    ///
    /// - Parameters:
    ///   - topic: destination topic.
    ///   - partition: explicit partition, or nil to let the partitioner choose by key.
    ///   - key: record key; nil for none.
    ///   - value: record value; an empty value is sent as null.
    ///   - tag: delivery reports of this message are counted under this tag.
    /// - Throws: `KafkaError` for non-retriable enqueue errors (unknown topic or
    ///   partition, message too large…), when the producer hit a fatal error,
    ///   or after `close`.
    public func send(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8], tag: UInt64) throws {
        var pause = 0.000_1
        while true {
            let error = try client.withHandle(topic: topic) { handle, topicHandle in
                Self.produce(handle, topic: topicHandle, partition: partition, key: key, value: value, tag: tag)
            }
            guard var error else { return }
            guard error.code == KafkaError.Codes.queueFull, !client.isClosing else {
                if error.code == KafkaError.Codes.fatal, let fatal = fatalError {
                    error = fatal
                }
                throw error
            }
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 0.01)
        }
    }

    /// One `rd_kafka_produceva` call. The pointers built here live only during the call (`RD_KAFKA_MSG_F_COPY`).
    /// `topic` is the topic's handle (see `RDKafkaTopics` for why not its name).
    private static func produce(
        _ handle: OpaquePointer,
        topic: OpaquePointer,
        partition: Int32?,
        key: [UInt8]?,
        value: [UInt8],
        tag: UInt64
    ) -> KafkaError? {
        withOptionalBytes(key) { keyBytes in
            value.withUnsafeBytes { valueBytes in
                // At most six arguments, on the stack: this runs once per message.
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 6) { arguments in
                    var count = 0
                    func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t.__Unnamed_union_u) -> Void) {
                        var argument = rd_kafka_vu_t()
                        argument.vtype = type
                        fill(&argument.u)
                        arguments.initializeElement(at: count, to: argument)
                        count += 1
                    }
                    append(RD_KAFKA_VTYPE_RKT) { $0.rkt = topic }
                    if let partition {
                        append(RD_KAFKA_VTYPE_PARTITION) { $0.i32 = partition }
                    }
                    if let keyBytes {
                        append(RD_KAFKA_VTYPE_KEY) {
                            $0.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                            $0.mem.size = keyBytes.count
                        }
                    }
                    if !valueBytes.isEmpty {
                        append(RD_KAFKA_VTYPE_VALUE) {
                            $0.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                            $0.mem.size = valueBytes.count
                        }
                    }
                    append(RD_KAFKA_VTYPE_OPAQUE) {
                        $0.ptr = UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: tag))
                    }
                    append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.i = RD_KAFKA_MSG_F_COPY }
                    return rd_kafka_produceva(handle, arguments.baseAddress, count).map { KafkaError(consuming: $0) }
                }
            }
        }
    }

    private static func withOptionalBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}
