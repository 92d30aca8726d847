import Config
import Consumer
import Domain
import IntegrationSupport
import Kafka
import Postgres
import PostgresStore
import Starter
import Store
import Testing

/// Numbers from the in-tables reach the store and the events digit for digit.
@Suite("Consumer: numbers keep every digit", .serialized, .enabled(if: TestDatabase.isAvailable))
struct NumberFidelityTests {
    /// A bigint past 2^53 and a numeric(30,10) are stored and published as the in-table holds
    /// them (a Double kept 15–17 digits), and the same values loaded again leave the instance
    /// unchanged.
    @Test(.timeLimit(.minutes(2)))
    func bigintsAndNumericsArriveExactlyAndReloadUnchanged() async throws {
        try await PipelineFixture.with(partitions: 2) { fixture in
            try await fixture.insertCatalog()
            try await fixture.source.generate(people: 5)
            try await fixture.source.client.execute("ALTER TABLE in_person ADD COLUMN account bigint, ADD COLUMN amount numeric(30,10)")
            try await fixture.source.client.execute(
                "UPDATE in_person SET account = 1234567890123456789, amount = 12345678901234567890.0123456789 WHERE external_id = 'P-2'")
            try await fixture.source.signal(.day1)
            _ = try await fixture.migrate(.day1)
            let stored = try #require(
                try await fixture.source.client.execute(
                    "SELECT document->>'account' AS account, document->>'amount' AS amount FROM inmigration.boi_instance WHERE external_id = 'P-2'"
                ).first)
            #expect(stored["account"] == "1234567890123456789")
            #expect(stored["amount"] == "12345678901234567890.0123456789")
            let events = try fixture.broker.messages(on: fixture.configuration.kafka.topics.boi)
                .map { String(decoding: $0.value, as: UTF8.self) }
            #expect(events.contains { $0.contains("1234567890123456789") && $0.contains("12345678901234567890.0123456789") })

            try await fixture.source.signal(.day2)
            let again = try await fixture.migrate(.day2)
            let people = try #require(again.consume.tables["in_person"])
            #expect(people.unchanged == 5, "reloaded from jsonb, the numbers compare equal")
            #expect(people.updated == 0)
        }
    }
}
