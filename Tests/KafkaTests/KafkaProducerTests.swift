import Kafka
import Testing

@Suite("KafkaProducer against the mock cluster")
struct KafkaProducerTests {
    @Test("produced keyed messages are all acknowledged and counted per tag", .timeLimit(.minutes(1)))
    func producesAndCounts() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 4)
        let producer = try KafkaTestSupport.producer(cluster)

        let tally = try await KafkaTestSupport.produceKeyed(producer, topic: topic, count: 1000, keys: 17, tag: 7)

        #expect(tally == DeliveryTally(acknowledged: 1000, failed: 0, firstError: nil))
        #expect(tally.settled == 1000)
        #expect(producer.delivery(of: 8) == DeliveryTally())
        #expect(producer.fatalError == nil)
        producer.forget(tag: 7)
        #expect(producer.delivery(of: 7).settled == 0)
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }

    @Test("a full local queue makes send wait, never drop", .timeLimit(.minutes(1)))
    func fullQueueWaits() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 2)
        try cluster.setRoundTripTime(broker: 1, milliseconds: 20)
        let producer = try KafkaTestSupport.producer(cluster, [
            "queue.buffering.max.messages": "50",
            "batch.num.messages": "20",
        ])

        let tally = try await KafkaTestSupport.onThread {
            for index in 0 ..< 2000 {
                try producer.send(topic: topic, key: KafkaTestSupport.bytes("k\(index)"), value: [1], tag: 2)
            }
            return producer.delivery(of: 2)
        }
        #expect(tally.settled < 2000, "the queue should have been full at times")
        let final = await producer.awaitDelivery(tag: 2, expected: 2000, timeout: .seconds(30))
        #expect(final == DeliveryTally(acknowledged: 2000, failed: 0, firstError: nil))
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }

    @Test("explicit partitions are honoured and tags are kept apart", .timeLimit(.minutes(1)))
    func explicitPartitionsAndTags() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 3)
        let producer = try KafkaTestSupport.producer(cluster)

        for index in 0 ..< 30 {
            let partition = Int32(index % 3)
            try producer.send(topic: topic, partition: partition, key: nil, value: [UInt8(index)], tag: UInt64(partition + 1))
        }
        for tag in UInt64(1) ... 3 {
            let tally = await producer.awaitDelivery(tag: tag, expected: 10, timeout: .seconds(20))
            #expect(tally.acknowledged == 10)
        }
        let consumer = try KafkaTestSupport.consumer(cluster)
        let marks = try await KafkaTestSupport.onThread {
            try (0 ..< 3).map { try consumer.watermarks(topic: topic, partition: $0, timeout: .seconds(5)) }
        }
        #expect(marks.map(\.low) == [0, 0, 0])
        #expect(marks.map(\.high) == [10, 10, 10])
        await KafkaTestSupport.shutDown(cluster, producers: [producer], consumers: [consumer])
    }

    @Test("partitionCount reads fresh metadata; unknown topics and partitions throw", .timeLimit(.minutes(1)))
    func partitionCount() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 7)
        let producer = try KafkaTestSupport.producer(cluster)

        let count = try await KafkaTestSupport.onThread { try producer.partitionCount(topic: topic, timeout: .seconds(5)) }
        #expect(count == 7)
        let unknown = await #expect(throws: KafkaError.self) {
            try await KafkaTestSupport.onThread { try producer.partitionCount(topic: "no-such-topic", timeout: .seconds(5)) }
        }
        #expect(unknown?.codeName == "_UNKNOWN_TOPIC")
        // The metadata is cached now, so an impossible partition is refused at enqueue time.
        let error = #expect(throws: KafkaError.self) {
            try producer.send(topic: topic, partition: 99, key: nil, value: [1], tag: 1)
        }
        #expect(error?.codeName == "_UNKNOWN_PARTITION")
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }

    @Test("a closed producer refuses to send; close is idempotent", .timeLimit(.minutes(1)))
    func closedProducer() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        try producer.send(topic: topic, key: nil, value: [1, 2, 3], tag: 1)
        try await KafkaTestSupport.onThread { producer.close(flushTimeout: .seconds(5)) }
        producer.close(flushTimeout: .seconds(5))
        #expect(producer.delivery(of: 1).acknowledged == 1)
        let error = #expect(throws: KafkaError.self) {
            try producer.send(topic: topic, key: nil, value: [1], tag: 1)
        }
        #expect(error?.code == KafkaError.Codes.destroyed)
        #expect(throws: KafkaError.self) { try producer.partitionCount(topic: topic, timeout: .seconds(1)) }
        await KafkaTestSupport.shutDown(cluster)
    }
}
