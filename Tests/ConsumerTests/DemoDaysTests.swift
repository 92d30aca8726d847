import Config
import Consumer
import DemoData
import Domain
import Foundation
import IntegrationSupport
import Journal
import Kafka
import Logging
import Postgres
import PostgresStore
import Starter
import Store
import Testing

@Suite("Consumer: the demo's two days", .serialized, .enabled(if: TestDatabase.isAvailable))
struct DemoDaysTests {
    @Test(.timeLimit(.minutes(2)))
    func dayOneThenDayTwo() async throws {
        try await PipelineFixture.with(partitions: 4) { fixture in
            try await fixture.insertCatalog()
            try await fixture.loadDemo(DemoData.day1, day: .day1)
            let day1 = try await fixture.migrate(.day1)
            let total1 = day1.consume.total
            #expect(day1.stream.recordsStreamed == 15)
            #expect(total1.records == 15)
            #expect(total1.created == 15)
            #expect(total1.rejected == 0)
            // D-OPS waits for D-REGION, which only comes on day 2: dangling after day 1.
            #expect(day1.consume.dangling?.count == 1)
            #expect(day1.consume.markersSeen == 4)
            let ops = try #require(try await fixture.instance("Department", "D-OPS"))
            #expect(ops.document["parent"] == .null)
            let sales = try #require(try await fixture.instance("Department", "D-SALES"))
            let hq = try #require(try await fixture.instance("Department", "D-HQ"))
            #expect(sales.document["parent"] == .string(hq.boiId), "a forward self reference within one day")
            let group = try #require(try await fixture.instance("PersonGroup", "G-DEV"))
            let p2 = try #require(try await fixture.instance("Person", "P-002"))
            let p4 = try #require(try await fixture.instance("Person", "P-004"))
            #expect(group.document["members"] == .array([.string(p2.boiId), .string(p4.boiId)]))
            let contract = try #require(try await fixture.instance("Contract", "C-1001"))
            #expect(contract.document["status"] == .string("cs-active"))
            #expect(try await fixture.instance("Company", "CO-1") == nil)
            let eventsDay1 = try fixture.events().count
            #expect(Int64(eventsDay1) == total1.boiEvents)

            try await fixture.loadDemo(DemoData.day2, day: .day2)
            let day2 = try await fixture.migrate(.day2)
            let total2 = day2.consume.total
            #expect(day2.stream.recordsStreamed == 7)
            #expect(day2.stream.recordsRejected == 1)
            #expect(total2.records == 7)
            #expect(total2.boiEvents == 6, "D-REGION, D-OPS, P-003, P-005, P-002 (merge), C-1002")
            #expect(total2.created == 1, "D-REGION")
            #expect(total2.updated == 2, "P-003 and C-1002")
            #expect(total2.unchanged == 1, "P-001")
            #expect(total2.merged == 1, "P-102 into P-002")
            #expect(total2.removed == 1, "P-005")
            #expect(total2.rejected == 1, "the record without externalId")
            #expect(total2.refsResolved == 1, "D-OPS → D-REGION")
            #expect(day2.consume.dangling?.isEmpty == true)

            let region = try #require(try await fixture.instance("Department", "D-REGION"))
            #expect(try await fixture.instance("Department", "D-OPS")?.document["parent"] == .string(region.boiId))
            #expect(try await fixture.instance("Person", "P-005")?.actual == false)
            let merged = try #require(try await fixture.instance("Person", "P-102"))
            #expect(merged.boiId == p2.boiId, "both externalIds map to one instance")
            #expect(merged.document["email"] == .string("d.sadykov@example.kz"))

            let events = try fixture.events()
            let opsEvents = events.filter { $0.boiId.rawValue == ops.boiId && $0.migrationId == day2.stream.migrationID }
            #expect(opsEvents.count == 1, "the waiting instance gets exactly one change event")
            #expect(opsEvents.first?.changes == ["parent": .string(region.boiId)])
            #expect(Int64(events.count - eventsDay1) == total2.boiEvents)

            let errors = try await fixture.source.client.execute(
                "SELECT table_name, field, reason, raw FROM inmigration.migration_error WHERE stage = 'consume'")
            #expect(errors.count == 1)
            #expect(errors.first?["field"] == "external_id")
            #expect(errors.first?["table_name"] == "in_person")
            let deadLetters = try fixture.broker.messages(on: fixture.configuration.kafka.topics.deadLetter)
            #expect(deadLetters.count == 1)
            let deadLetter = String(decoding: deadLetters.first?.value ?? [], as: UTF8.self)
            #expect(deadLetter.contains("Nobody"))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func theSameOperDateRunTwicePublishesNothingTheSecondTime() async throws {
        try await PipelineFixture.with(partitions: 3) { fixture in
            try await fixture.insertCatalog()
            try await fixture.loadDemo(DemoData.day1, day: .day1)
            try await fixture.migrate(.day1)
            let before = try await fixture.storeDump()
            let eventsBefore = try fixture.events().count
            // The customer signals the same day again (same rows): a second migration of it.
            try await fixture.source.client.execute("DELETE FROM process_tracking")
            try await fixture.source.signal(.day1)
            let again = try await fixture.migrate(.day1)
            #expect(again.consume.total.records == 15)
            #expect(again.consume.total.unchanged == 15)
            #expect(again.consume.total.boiEvents == 0)
            #expect(try fixture.events().count == eventsBefore)
            #expect(try await fixture.storeDump() == before)
        }
    }
}
