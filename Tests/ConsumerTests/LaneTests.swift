@testable import Consumer
import Config
import Domain
import IntegrationSupport
import Kafka
import Postgres
import PostgresStore
import Store
import Testing

@Suite("Consumer: lane queues")
struct LaneQueuesTests {
    static func messages(_ partitions: [Int32], from first: Int64 = 0) -> [KafkaMessage] {
        partitions.enumerated().map { index, partition in
            KafkaMessage(topic: "IN_MIGRATION", partition: partition, offset: first + Int64(index), key: nil, value: [])
        }
    }

    @Test func partitionsKeepTheirLaneAndOrderAndLanesGetAboutAsManyPartitions() {
        var queues = LaneQueues(lanes: 2, batchSize: 4)
        queues.enqueue(Self.messages([0, 1, 0, 2, 0, 3]))
        let first = queues.start()
        let second = queues.start()
        #expect(queues.start() == nil, "both lanes are busy")
        // Partitions go to the lane with the fewest as they are first seen: 0 and 2, 1 and 3.
        #expect(first?.lane == 0 && first?.messages.map(\.offset) == [0, 2])
        #expect(second?.lane == 1 && second?.messages.map(\.offset) == [1, 5])
        #expect(queues.held == 2)
        // A lane takes its next share as soon as it is done, whatever the other does.
        queues.enqueue(Self.messages([1, 2, 3], from: 6))
        queues.finished(lane: 1, remainder: [])
        let next = queues.start()
        #expect(next?.lane == 1 && next?.messages.map(\.offset) == [6, 8])
        #expect(queues.start() == nil)
        queues.finished(lane: 0, remainder: [])
        #expect(queues.start()?.messages.map(\.offset) == [3, 4])
    }

    @Test func aRemainderGoesFirstAgainAndRevokedPartitionsAreDropped() {
        var queues = LaneQueues(lanes: 1, batchSize: 3)
        queues.enqueue(Self.messages([0, 1, 0, 1, 0]))
        let share = queues.start()
        #expect(share?.messages.map(\.offset) == [0, 1, 2])
        queues.finished(lane: 0, remainder: Array(share?.messages.suffix(2) ?? []))
        queues.revoke([1])
        #expect(queues.held == 2, "messages 1 (from the remainder) and 3, of partition 1, are dropped")
        #expect(queues.start()?.messages.map(\.offset) == [2, 4])
    }

    @Test func pollsOnlyWhileALaneIsShortAndThereIsRoom() {
        var queues = LaneQueues(lanes: 2, batchSize: 4)
        #expect(queues.isIdle && queues.wantsMessages && queues.room == 8)
        queues.enqueue(Self.messages([0, 1, 0, 1, 0, 1]))
        #expect(!queues.wantsMessages, "each lane has a share waiting")
        queues.enqueue(Self.messages([0, 0], from: 6))
        #expect(queues.room == 0)
        _ = queues.start()
        #expect(!queues.wantsMessages && queues.room == 2 && !queues.isIdle && queues.isBusy)
        _ = queues.start()
        #expect(queues.wantsMessages && queues.room == 4, "lane 1 has one message left")
    }
}

@Suite("Consumer: lanes against the store", .serialized, .enabled(if: TestDatabase.isAvailable))
struct LaneTests {
    static let encoder = RecordMessage.Encoder(
        migrationId: MigrationID(rawValue: "mig-lanes"), operDate: OperDate(rawValue: "2026-11-20")!, bo: "Person",
        table: "in_person")

    static func value(_ externalId: String, iin: String) -> [UInt8] {
        var value: [UInt8] = []
        var key: [UInt8] = []
        encoder.encode(
            externalId: ArraySlice(Array(externalId.utf8)),
            row: ArraySlice(Array(#"{"first_name":"F","last_name":"L \#(externalId)","iin":"\#(iin)"}"#.utf8)),
            children: nil, value: &value, key: &key)
        return value
    }

    /// Records that merge on a unique key, and records of one externalId, sit on partitions of
    /// different lanes (the starter would not put them there, another producer might): the lanes
    /// clash on the unique index and the primary key, retry, and the store ends as one lane
    /// would leave it.
    @Test(.timeLimit(.minutes(2)))
    func lanesThatClashStillMergeAndUpdateEveryRecordOnce() async throws {
        try await PipelineFixture.with(partitions: 4) { fixture in
            #expect(fixture.configuration.consumer.lanes == 2)
            let topic = fixture.configuration.kafka.topics.inMigration
            let producer = try KafkaProducer(
                properties: ["bootstrap.servers": fixture.broker.bootstrapServers], logger: fixture.logger)
            var sent = 0
            func send(_ externalId: String, iin: String, partition: Int32) throws {
                try producer.send(topic: topic, partition: partition, key: nil, value: Self.value(externalId, iin: iin), tag: 1)
                sent += 1
            }
            // Every pair below sits on two partitions, and the lanes share the four partitions as
            // they first see them: pairs are split between the lanes.
            for index in 0..<100 {
                try send("A-\(index)", iin: "\(index)", partition: Int32(index % 2))
                try send("B-\(index)", iin: "\(index)", partition: Int32(3 - index % 2))
            }
            for index in 0..<50 {
                try send("C-\(index)", iin: "c\(index)", partition: 0)
                try send("C-\(index)", iin: "d\(index)", partition: 1)
            }
            #expect(await producer.awaitDelivery(tag: 1, expected: sent, timeout: .seconds(30)).acknowledged == sent)
            producer.close(flushTimeout: .seconds(5))

            try await fixture.consume()

            let total = try await fixture.store.consumeReport(MigrationID(rawValue: "mig-lanes")).total
            #expect(total.records == 300)
            #expect(total.created == 150)
            #expect(total.merged == 100)
            #expect(total.updated == 50)
            #expect(total.rejected == 0)
            for index in 0..<100 {
                let a = try await fixture.instance("Person", "A-\(index)")
                let b = try await fixture.instance("Person", "B-\(index)")
                #expect(a != nil && a?.boiId == b?.boiId, "A-\(index) and B-\(index) share iin \(index)")
            }
            for index in 0..<50 {
                let iin = try await fixture.instance("Person", "C-\(index)")?.document["iin"]
                #expect(iin == .string("c\(index)") || iin == .string("d\(index)"))
            }
            let instances = try await fixture.source.client.execute("SELECT count(*) AS n FROM inmigration.boi_instance")
            #expect(instances.first?.int("n") == 150)
        }
    }
}
