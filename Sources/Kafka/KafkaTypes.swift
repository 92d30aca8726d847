/// A partition of a topic, the unit of ordering and assignment in Kafka.
public struct TopicPartition: Hashable, Sendable {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
}

/// A position in a partition: for commits the next offset to read, for
/// assignments the offset to start from (or `KafkaConsumer.offsetBeginning`).
public struct TopicPartitionOffset: Hashable, Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// The partition this position belongs to.
    public var topicPartition: TopicPartition {
        TopicPartition(topic: topic, partition: partition)
    }
}

/// A consumed record, copied out of librdkafka's memory so it can outlive the
/// C message and cross threads.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// nil when the record has no key.
    public var key: [UInt8]?
    /// Empty when the record's value is null or empty.
    public var value: [UInt8]

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
    }
}

/// Delivery outcome of the messages sent under one tag, so a caller can tell
/// when a batch it produced is safely on the broker (or why it is not).
public struct DeliveryTally: Sendable, Equatable {
    /// Messages the broker acknowledged.
    public var acknowledged: Int
    /// Messages that definitely failed (timed out, rejected, purged).
    public var failed: Int
    /// The first failure reported for this tag.
    public var firstError: KafkaError?
    /// Messages whose fate is known.
    public var settled: Int { acknowledged + failed }

    public init(acknowledged: Int = 0, failed: Int = 0, firstError: KafkaError? = nil) {
        self.acknowledged = acknowledged
        self.failed = failed
        self.firstError = firstError
    }
}

/// What one `KafkaConsumer.poll` saw: the records, and the partitions that
/// were assigned or revoked by a group rebalance in the meantime (already
/// applied to the consumer when the result is returned).
public struct KafkaPollResult: Sendable {
    public var messages: [KafkaMessage]
    public var assigned: [TopicPartition]
    public var revoked: [TopicPartition]

    public init(messages: [KafkaMessage] = [], assigned: [TopicPartition] = [], revoked: [TopicPartition] = []) {
        self.messages = messages
        self.assigned = assigned
        self.revoked = revoked
    }

    /// Nothing was received and no rebalance happened.
    public var isEmpty: Bool { messages.isEmpty && assigned.isEmpty && revoked.isEmpty }
}
