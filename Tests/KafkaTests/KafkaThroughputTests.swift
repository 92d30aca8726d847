import Foundation
import Kafka
import Testing

@Suite("Producer throughput (printed, not asserted)")
struct KafkaThroughputTests {
    @Test("200k messages of 250 bytes", .timeLimit(.minutes(1)))
    func throughput() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        // The mock keeps at most 100k messages / 5 MiB per partition; 200k x 250 B needs ≥ 10 partitions.
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 16)
        let producer = try KafkaTestSupport.producer(cluster)

        // Warm up: the first connection to a fresh mock cluster sometimes takes
        // about a second (its I/O thread wakes once a second); keep that out.
        try producer.send(topic: topic, key: nil, value: [0], tag: 8)
        #expect(await producer.awaitDelivery(tag: 8, expected: 1, timeout: .seconds(10)).acknowledged == 1)

        let count = 200_000
        let value = [UInt8](repeating: 0x61, count: 250)
        let clock = ContinuousClock()
        let start = clock.now
        try await KafkaTestSupport.onThread {
            for index in 0 ..< count {
                try producer.send(topic: topic, key: KafkaTestSupport.bytes("key-\(index)"), value: value, tag: 9)
            }
        }
        let enqueued = clock.now - start
        let tally = await producer.awaitDelivery(tag: 9, expected: count, timeout: .seconds(50))
        let elapsed = clock.now - start

        #expect(tally.acknowledged == count)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("throughput: \(count) x 250 B enqueued in \(enqueued), acknowledged in \(elapsed): \(Int(Double(count) / seconds)) msgs/s")
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }
}
