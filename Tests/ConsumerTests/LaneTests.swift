@testable import Consumer
import Config
import Domain
import IntegrationSupport
import Kafka
import Postgres
import PostgresStore
import Store
import Testing

@Suite("Consumer: lanes")
struct LaneSplitTests {
    static func messages(_ partitions: [Int32]) -> [KafkaMessage] {
        partitions.enumerated().map { offset, partition in
            KafkaMessage(topic: "IN_MIGRATION", partition: partition, offset: Int64(offset), key: nil, value: [])
        }
    }

    @Test func partitionsStayWholeAndInOrderAndLanesGetAboutAsMany() {
        let batch = Self.messages([0, 1, 0, 2, 0, 3, 1, 0, 2, 0])
        let shares = LaneSplit.split(batch, lanes: 2)
        #expect(shares.count == 2)
        // Partition 0 has five messages and goes first to lane 0; 1, 2 (two each) and 3 fill lane 1.
        #expect(shares[0].map(\.partition) == [0, 0, 0, 0, 0])
        #expect(shares[1].map(\.partition) == [1, 2, 3, 1, 2])
        for share in shares {
            for partition in Set(share.map(\.partition)) {
                let offsets = share.filter { $0.partition == partition }.map(\.offset)
                #expect(offsets == offsets.sorted())
                #expect(offsets.count == batch.filter { $0.partition == partition }.count)
            }
        }
    }

    @Test func fewerPartitionsThanLanesLeaveNoEmptyShare() {
        #expect(LaneSplit.split(Self.messages([4, 4, 4]), lanes: 3).map { $0.map(\.offset) } == [[0, 1, 2]])
        #expect(LaneSplit.split([], lanes: 2).isEmpty)
        #expect(LaneSplit.split(Self.messages([1, 2]), lanes: 1).map(\.count) == [2])
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
            // The lanes take partitions {0, 2} and {1, 3}: every pair below is split between them.
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
