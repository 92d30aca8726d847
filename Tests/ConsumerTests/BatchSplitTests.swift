@testable import Consumer
import Domain
import IntegrationSupport
import Kafka
import Postgres
import Testing

@Suite("Consumer: batches that resolve many parked references", .serialized, .enabled(if: TestDatabase.isAvailable))
struct BatchSplitTests {
    static let encoder = RecordMessage.Encoder(
        migrationId: MigrationID(rawValue: "mig-split"), operDate: OperDate(rawValue: "2026-11-20")!, bo: "Person",
        table: "in_person")
    static let departments = RecordMessage.Encoder(
        migrationId: MigrationID(rawValue: "mig-split"), operDate: OperDate(rawValue: "2026-11-20")!, bo: "Department",
        table: "in_department")

    static func message(_ encoder: RecordMessage.Encoder, _ externalId: String, row: String, offset: Int64) -> KafkaMessage {
        var value: [UInt8] = []
        var key: [UInt8] = []
        encoder.encode(
            externalId: ArraySlice(Array(externalId.utf8)), row: ArraySlice(Array(row.utf8)), children: nil,
            value: &value, key: &key)
        return KafkaMessage(topic: "IN_MIGRATION", partition: 0, offset: offset, key: key, value: value)
    }

    @Test(.timeLimit(.minutes(2)))
    func aBatchStopsBeforeTheRecordThatPassesTheLimitAndLeavesTheRestInOrder() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            let people = (1...6).map { index in
                Self.message(
                    Self.encoder, "P-\(index)",
                    row: #"{"first_name":"F","last_name":"L","iin":"\#(index)","department_external_id":"D-\#(index % 2)"}"#,
                    offset: Int64(index - 1))
            }
            let runtime = try fixture.consumer()
            var processor = runtime.consumer.processor
            let parked = try await processor.process(people)
            #expect(parked.records == 6 && parked.remainder.isEmpty)

            // D-0 and D-1 have three records waiting each: with room for four, D-1 waits for the next transaction.
            processor.maxResolutions = 4
            let targets = [
                Self.message(Self.departments, "D-0", row: #"{"name":"Zero","code":"Z"}"#, offset: 6),
                Self.message(Self.departments, "D-1", row: #"{"name":"One","code":"O"}"#, offset: 7),
            ]
            let first = try await processor.process(targets)
            #expect(first.records == 1)
            #expect(first.remainder.map(\.offset) == [7])
            #expect(first.offsets.map(\.offset) == [7])
            #expect(try await fixture.instance("Person", "P-2")?.document["department"] != .null)
            #expect(try await fixture.instance("Person", "P-1")?.document["department"] == .null)

            let second = try await processor.process(first.remainder)
            #expect(second.records == 1 && second.remainder.isEmpty)
            #expect(second.offsets.map(\.offset) == [8])
            for index in 1...6 {
                #expect(try await fixture.instance("Person", "P-\(index)")?.document["department"] != .null)
            }
            await runtime.close()
        }
    }
    /// A record that more references wait for than one working set resolves: its transaction
    /// resolves the first chunk with the batch and the rest a chunk at a time after it, so every
    /// waiting instance is filled at once in the store, and none is held with all the others.
    @Test(.timeLimit(.minutes(2)))
    func aTargetThatManyWaitForIsResolvedInChunksInOneTransaction() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            let people = (1...7).map { index in
                Self.message(
                    Self.encoder, "P-\(index)",
                    row: #"{"first_name":"F","last_name":"L","iin":"\#(index)","department_external_id":"D-X"}"#,
                    offset: Int64(index - 1))
            }
            let runtime = try fixture.consumer()
            var processor = runtime.consumer.processor
            #expect(try await processor.process(people).records == 7)

            processor.maxResolutions = 3
            let target = Self.message(Self.departments, "D-X", row: #"{"name":"X","code":"X"}"#, offset: 7)
            let follower = Self.message(Self.departments, "D-Y", row: #"{"name":"Y","code":"Y"}"#, offset: 8)
            let outcome = try await processor.process([target, follower])
            #expect(outcome.records == 1 && outcome.remainder.map(\.offset) == [8])
            #expect(outcome.outbox.count == 4, "in memory: the department's event and the first chunk's three")
            #expect(outcome.stats.values.reduce(0) { $0 + $1.refsResolved } == 7)
            let department = try #require(try await fixture.instance("Department", "D-X")).boiId
            for index in 1...7 {
                #expect(try await fixture.instance("Person", "P-\(index)")?.document["department"] == .string(department))
            }
            let entries = try await fixture.source.client.execute(
                "SELECT messages FROM inmigration.outbox_batch ORDER BY id")
            #expect(entries.compactMap { $0.int("messages") }.suffix(3) == [4, 3, 1])
            let parked = try await fixture.source.client.execute("SELECT count(*) AS n FROM inmigration.boi_reference")
            #expect(parked.first?.int("n") == 0)
            await runtime.close()
        }
    }
}
