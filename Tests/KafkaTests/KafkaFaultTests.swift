import Foundation
import Kafka
import Testing

@Suite("Broker faults on the mock cluster")
struct KafkaFaultTests {
    @Test("with the broker down, every message fails after message.timeout.ms", .timeLimit(.minutes(1)))
    func brokerDownMessagesTimeOut() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 2)
        try cluster.setAllBrokers(up: false)
        let producer = try KafkaTestSupport.producer(cluster, ["message.timeout.ms": "3000"])

        let clock = ContinuousClock()
        let start = clock.now
        for index in 0 ..< 100 {
            try producer.send(topic: topic, key: KafkaTestSupport.bytes("k\(index)"), value: [1, 2, 3], tag: 3)
        }
        let early = producer.delivery(of: 3)
        #expect(early.settled == 0)
        let tally = await producer.awaitDelivery(tag: 3, expected: 100, timeout: .seconds(20))
        let elapsed = clock.now - start

        #expect(tally.acknowledged == 0)
        #expect(tally.failed == 100)
        #expect(tally.firstError?.code == KafkaError.Codes.messageTimedOut)
        #expect(tally.firstError?.codeName == "_MSG_TIMED_OUT")
        #expect(elapsed >= .milliseconds(2500))
        #expect(producer.fatalError == nil)
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }

    @Test("a broker that comes back before the timeout gets every message", .timeLimit(.minutes(1)))
    func brokerDownThenUp() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 2, brokers: 2)
        try cluster.setAllBrokers(up: false)
        let producer = try KafkaTestSupport.producer(cluster, [
            "message.timeout.ms": "20000",
            "reconnect.backoff.max.ms": "500",
        ])

        for index in 0 ..< 200 {
            try producer.send(topic: topic, key: KafkaTestSupport.bytes("k\(index)"), value: [UInt8(index % 256)], tag: 4)
        }
        try await Task.sleep(for: .seconds(1))
        #expect(producer.delivery(of: 4).settled == 0)
        try cluster.setAllBrokers(up: true)
        let tally = await producer.awaitDelivery(tag: 4, expected: 200, timeout: .seconds(30))

        #expect(tally == DeliveryTally(acknowledged: 200, failed: 0, firstError: nil))
        #expect(producer.fatalError == nil)
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }

    @Test("round-trip time and single broker outages do not lose messages", .timeLimit(.minutes(1)))
    func slowAndFlakyBroker() async throws {
        let topic = KafkaTestSupport.uniqueTopic()
        let cluster = try KafkaTestSupport.cluster(topic: topic, partitions: 3, brokers: 3)
        #expect(cluster.brokerCount == 3)
        try cluster.setRoundTripTime(broker: 1, milliseconds: 50)
        let producer = try KafkaTestSupport.producer(cluster, ["reconnect.backoff.max.ms": "500"])

        for index in 0 ..< 300 {
            if index == 100 { try cluster.setBroker(2, up: false) }
            if index == 200 { try cluster.setBroker(2, up: true) }
            try producer.send(topic: topic, key: KafkaTestSupport.bytes("k\(index)"), value: [1], tag: 5)
        }
        let tally = await producer.awaitDelivery(tag: 5, expected: 300, timeout: .seconds(40))
        #expect(tally == DeliveryTally(acknowledged: 300, failed: 0, firstError: nil))
        #expect(throws: KafkaError.self) { try cluster.setBroker(9, up: false) }
        await KafkaTestSupport.shutDown(cluster, producers: [producer])
    }
}
