@testable import Consumer
import Domain
import Foundation
import IntegrationSupport
import Kafka
import Postgres
import PostgresStore
import Store
import Testing

@Suite("Consumer: the reference check, a page at a time", .serialized, .enabled(if: TestDatabase.isAvailable))
struct ReferenceCheckTests {
    static let migration = MigrationID(rawValue: "mig-check")
    static let day = OperDate(rawValue: "2026-11-20")!
    static let people = RecordMessage.Encoder(migrationId: migration, operDate: day, bo: "Person", table: "in_person")

    static func person(_ externalId: String, department: String, offset: Int64) -> KafkaMessage {
        BatchSplitTests.message(
            people, externalId,
            row: #"{"first_name":"F","last_name":"L","iin":"\#(externalId)","department_external_id":"\#(department)"}"#,
            offset: offset)
    }

    static func marker(offset: Int64) throws -> KafkaMessage {
        let marker = RefCheckMarker(migrationId: migration, operDate: day, partition: 0, partitions: 1, records: 0)
        return KafkaMessage(
            topic: "IN_MIGRATION", partition: 0, offset: offset, key: nil, value: Array(try JSONEncoder().encode(marker)))
    }

    /// Seven people wait for departments that never come, but one of them (D-2) is stored by a
    /// transaction that did not see it awaited (another lane's, racing). The marker's batch also
    /// brings a person who waits anew (P-7) and one who no longer waits for what the store has
    /// parked (P-0 now names D-2). With pages of two references, the check resolves P-2's, drops
    /// nothing the batch changed, and reports every other one once.
    @Test(.timeLimit(.minutes(2)))
    func resolvesWhatArrivedAndReportsEachDanglingReferenceOnce() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            let runtime = try fixture.consumer()
            var processor = runtime.consumer.processor
            processor.referenceCheckPage = 2
            let waiting = (0..<7).map { Self.person("P-\($0)", department: "D-\($0)", offset: Int64($0)) }
            #expect(try await processor.process(waiting).records == 7)

            let department = BOKey(bo: "Department", externalId: "D-2")
            var changes = StoreChanges()
            changes.instances = [
                BOIInstance(
                    boiId: BoiID.derived(from: department), bo: "Department", externalId: "D-2",
                    document: ["name": .string("Two"), "code": .string("T")])
            ]
            changes.created = [BoiID.derived(from: department)]
            let racing = changes
            try await fixture.store.transaction { transaction in _ = try transaction.apply(racing) }

            let last = [
                Self.person("P-7", department: "D-7", offset: 7), Self.person("P-0", department: "D-2", offset: 8),
                try Self.marker(offset: 9),
            ]
            let outcome = try await processor.process(last)
            #expect(outcome.records == 3 && outcome.remainder.isEmpty)

            let departmentID = BoiID.derived(from: department).rawValue
            #expect(try await fixture.instance("Person", "P-2")?.document["department"] == .string(departmentID))
            #expect(try await fixture.instance("Person", "P-0")?.document["department"] == .string(departmentID))
            let report = try await fixture.store.consumeReport(Self.migration)
            let dangling = (report.dangling ?? []).compactMap { reference -> String? in
                guard case .object(let key) = reference.target else { return nil }
                return key.externalId
            }
            #expect(report.danglingCount == 6)
            #expect(dangling.sorted() == ["D-1", "D-3", "D-4", "D-5", "D-6", "D-7"])
            #expect(report.total.refsResolved == 1, "P-2 by the check; P-0 named its department itself")
            await runtime.close()
        }
    }
    /// More references turn out resolvable than one working set resolves: the first chunk goes
    /// with the marker's batch, the rest after it in chunks of their own, all in its transaction.
    @Test(.timeLimit(.minutes(2)))
    func resolvesWhatArrivedInChunks() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            let runtime = try fixture.consumer()
            var processor = runtime.consumer.processor
            processor.maxResolutions = 2
            processor.referenceCheckPage = 4
            let waiting = (0..<6).map { Self.person("P-\($0)", department: "D-\($0)", offset: Int64($0)) }
            #expect(try await processor.process(waiting).records == 6)
            var changes = StoreChanges()
            for index in 0..<5 {
                let key = BOKey(bo: "Department", externalId: "D-\(index)")
                changes.instances.append(
                    BOIInstance(boiId: BoiID.derived(from: key), bo: "Department", externalId: key.externalId))
                changes.created.insert(BoiID.derived(from: key))
            }
            let racing = changes
            try await fixture.store.transaction { transaction in _ = try transaction.apply(racing) }

            let outcome = try await processor.process([try Self.marker(offset: 6)])
            #expect(outcome.records == 1)
            #expect(outcome.stats.values.reduce(0) { $0 + $1.refsResolved } == 5, "the chunks' counts are the transaction's")
            for index in 0..<5 {
                let department = BoiID.derived(from: BOKey(bo: "Department", externalId: "D-\(index)")).rawValue
                #expect(try await fixture.instance("Person", "P-\(index)")?.document["department"] == .string(department))
            }
            let report = try await fixture.store.consumeReport(Self.migration)
            #expect(report.danglingCount == 1 && report.total.refsResolved == 5)
            // Five events: two with the batch's outbox entry, three in two entries of their own.
            let entries = try await fixture.source.client.execute(
                "SELECT messages FROM inmigration.outbox_batch ORDER BY id")
            #expect(entries.compactMap { $0.int("messages") }.suffix(3) == [2, 2, 1])
            await runtime.close()
        }
    }
}
