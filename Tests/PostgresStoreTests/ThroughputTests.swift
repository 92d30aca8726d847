import Domain
import Foundation
import IntegrationSupport
import PostgresStore
import Store
import Testing

/// Measures, does not judge: how fast `apply` writes new instances with their mappings and one
/// outbox message each, as a consumer's batches do.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(5)))
struct ThroughputTests {
    @Test func applyThroughput() async throws {
        try await StoreFixture.with { fixture in
            let batches = 10
            let size = 5_000
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            for batch in 0..<batches {
                let instances = (0..<size).map { index in
                    let number = batch * size + index
                    let externalId = "P-\(number)"
                    return BOIInstance(
                        boiId: Sample.id("Person", externalId), bo: "Person", externalId: externalId,
                        document: [
                            "external_id": .string(externalId), "first_name": .string("Айгерим"),
                            "last_name": .string("Nurlanovna-\(number)"), "iin": .string(String(900_000_000_000 + number)),
                            "birth_date": .string("1990-01-01"), "salary": .number(JSONNumber(Double(number) * 1.5)),
                            "department": .string(Sample.id("Department", "D-\(number % 50)").rawValue),
                            "phones": .array([.object(["kind": .string("mobile"), "number": .string("+7 701 \(number)")])]),
                        ])
                }
                var changes = Sample.creating(instances)
                changes.outbox = instances.map { instance in
                    OutboxMessage(
                        topic: "BOI", key: Array(instance.boiId.rawValue.utf8),
                        value: Array(
                            (#"{"boiId":"\#(instance.boiId)","bo":"Person","version":1,"#
                                + #""document":{"first_name":"Айгерим"}}"#).utf8))
                }
                changes.positions = PositionUpdate(
                    group: "in_migration", topic: "IN_MIGRATION",
                    moves: [0: (batch == 0 ? nil : Int64(batch * size), Int64((batch + 1) * size))])
                let started = clock.now
                try await fixture.apply(changes)
                elapsed += clock.now - started
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let total = batches * size
            print(
                "apply throughput: \(total) instances in \(batches) batches of \(size) (with mappings and one outbox "
                    + "message each) in \(String(format: "%.2f", seconds)) s = \(Int(Double(total) / seconds)) instances/s")
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.boi_instance") == total)
            #expect(try await fixture.count("SELECT sum(messages) AS n FROM inmigration.outbox_batch") == total)
        }
    }
}
