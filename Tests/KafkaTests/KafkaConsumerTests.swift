import Kafka
import Testing

@Suite("KafkaConsumer against the mock cluster")
struct KafkaConsumerTests {
    static let count = 600
    static let keys = 13

    /// Checks that every produced record came back once, intact, and that
    /// records with the same key share a partition and keep their order.
    static func verify(_ messages: [KafkaMessage], topic: String, partitions: Int32) {
        #expect(messages.count == count)
        var partitionOfKey: [String: Int32] = [:]
        var lastIndexOfKey: [String: Int] = [:]
        var seen = Set<Int>()
        for message in messages {
            #expect(message.topic == topic)
            #expect((0 ..< partitions).contains(message.partition))
            guard let key = KafkaTestSupport.text(message.key),
                  let value = KafkaTestSupport.text(message.value),
                  let index = Int(value.dropFirst("value-".count))
            else {
                Issue.record("unexpected record \(message)")
                continue
            }
            #expect(key == "key-\(index % keys)")
            #expect(seen.insert(index).inserted)
            #expect(partitionOfKey[key, default: message.partition] == message.partition)
            partitionOfKey[key] = message.partition
            #expect(lastIndexOfKey[key, default: -1] < index)
            lastIndexOfKey[key] = index
        }
        #expect(Set(partitionOfKey.values).count > 1, "keys should spread over partitions")
    }

    @Test("assign from the beginning reads back every record", .timeLimit(.minutes(1)))
    func assignFromBeginning() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 4)
        let producer = try KafkaTestSupport.producer(cluster)
        let tally = try await KafkaTestSupport.produceKeyed(producer, topic: topic, count: Self.count, keys: Self.keys, tag: 1)
        #expect(tally.acknowledged == Self.count)

        let consumer = try KafkaTestSupport.consumer(cluster)
        #expect(try await KafkaTestSupport.onThread { try consumer.partitionCount(topic: topic, timeout: .seconds(5)) } == 4)
        try consumer.assign((0 ..< 4).map {
            TopicPartitionOffset(topic: topic, partition: $0, offset: KafkaConsumer.offsetBeginning)
        })
        let (messages, _) = try await KafkaTestSupport.consume(consumer, count: Self.count)
        Self.verify(messages, topic: topic, partitions: 4)

        var highs: Int64 = 0
        for partition in Int32(0) ..< 4 {
            // Blocking, and slow while the consumer fetches: the ListOffsets
            // request queues behind a long-polling Fetch on the same connection.
            let marks = try await KafkaTestSupport.onThread {
                try consumer.watermarks(topic: topic, partition: partition, timeout: .seconds(5))
            }
            let offsets = messages.filter { $0.partition == partition }.map(\.offset)
            #expect(marks.low == 0)
            #expect(marks.high == Int64(offsets.count))
            #expect(offsets == Array(0 ..< marks.high))
            highs += marks.high
        }
        #expect(highs == Int64(Self.count))
        let all = try await KafkaTestSupport.onThread {
            try consumer.watermarks(topic: topic, partitions: [0, 1, 2, 3], timeout: .seconds(5))
        }
        #expect(all.keys.sorted() == [0, 1, 2, 3])
        #expect(all.values.map(\.low) == [0, 0, 0, 0])
        #expect(all.values.reduce(0) { $0 + $1.high } == Int64(Self.count))
        await KafkaTestSupport.shutDown(cluster, producers: [producer], consumers: [consumer])
    }

    @Test("a subscribed group member reads everything and its commits are visible", .timeLimit(.minutes(1)))
    func subscribeCommitCommitted() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let group = KafkaTestSupport.uniqueTopic("group")
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 3)
        let producer = try KafkaTestSupport.producer(cluster)
        _ = try await KafkaTestSupport.produceKeyed(producer, topic: topic, count: Self.count, keys: Self.keys, tag: 1)

        let consumer = try KafkaTestSupport.consumer(cluster, ["group.id": group])
        try consumer.subscribe([topic])
        let (messages, assigned) = try await KafkaTestSupport.consume(consumer, count: Self.count)
        Self.verify(messages, topic: topic, partitions: 3)
        #expect(Set(assigned) == Set((0 ..< 3).map { TopicPartition(topic: topic, partition: $0) }))
        #expect(Set(try consumer.assignment()) == Set(assigned))

        let partitions = (Int32(0) ..< 3).map { TopicPartition(topic: topic, partition: $0) }
        let before = try await KafkaTestSupport.onThread { try consumer.committed(partitions, timeout: .seconds(5)) }
        #expect(before.allSatisfy { $0.offset == KafkaConsumer.offsetInvalid })

        let next = partitions.map { partition in
            let last = messages.filter { $0.partition == partition.partition }.map(\.offset).max() ?? -1
            return TopicPartitionOffset(topic: topic, partition: partition.partition, offset: last + 1)
        }
        try await KafkaTestSupport.onThread { try consumer.commit(next) }
        let after = try await KafkaTestSupport.onThread { try consumer.committed(partitions, timeout: .seconds(5)) }
        #expect(Set(after) == Set(next))
        try await KafkaTestSupport.onThread { consumer.close() }

        let second = try KafkaTestSupport.consumer(cluster, ["group.id": group])
        let seen = try await KafkaTestSupport.onThread { try second.committed(partitions, timeout: .seconds(5)) }
        #expect(Set(seen) == Set(next))
        await KafkaTestSupport.shutDown(cluster, producers: [producer], consumers: [second])
    }

    @Test("offset out of range with auto.offset.reset=error is thrown", .timeLimit(.minutes(1)))
    func offsetOutOfRangeThrows() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        _ = try await KafkaTestSupport.produceKeyed(producer, topic: topic, count: 5, keys: 1, tag: 1)

        let consumer = try KafkaTestSupport.consumer(cluster, ["auto.offset.reset": "error"])
        try consumer.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: 50)])
        let error = await #expect(throws: KafkaError.self) {
            _ = try await KafkaTestSupport.consume(consumer, count: 1, timeout: .seconds(10))
        }
        #expect(error?.isFatal == false)
        print("offset out of range surfaced as: \(error.map { "\($0)" } ?? "nothing")")
        await KafkaTestSupport.shutDown(cluster, producers: [producer], consumers: [consumer])
    }
}

@Suite("KafkaConsumer lifecycle")
struct KafkaConsumerLifecycleTests {
    @Test("close wakes a poll blocked on another thread", .timeLimit(.minutes(1)))
    func closeInterruptsPoll() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 1)
        let consumer = try KafkaTestSupport.consumer(cluster)
        try consumer.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: KafkaConsumer.offsetBeginning)])
        let clock = ContinuousClock()
        let start = clock.now
        async let outcome = KafkaTestSupport.onThread { () -> String in
            do {
                let result = try consumer.poll(max: 10, timeout: .seconds(30))
                return "returned \(result.messages.count)"
            } catch let error as KafkaError {
                return error.codeName
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        try await KafkaTestSupport.onThread { consumer.close() }
        #expect(try await outcome == "_DESTROY")
        #expect(clock.now - start < .seconds(10))
        #expect(throws: KafkaError.self) { try consumer.poll(max: 1, timeout: .zero) }
        await KafkaTestSupport.shutDown(cluster)
    }
}
