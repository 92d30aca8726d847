import Config
import Consumer
import Domain
import IntegrationSupport
import Journal
import Kafka
import Postgres
import Starter
import Store
import Testing

/// Records whose values PostgreSQL cannot store, streamed from the in-tables like any other.
@Suite("Consumer: records the store cannot hold", .serialized, .enabled(if: TestDatabase.isAvailable))
struct UnstorableRecordTests {
    /// A json column carrying U+0000 (valid JSON, refused by jsonb) and a unique-key value too long
    /// for a B-tree entry: each record is refused with its field and reason, and every other
    /// record of the day is stored.
    @Test(.timeLimit(.minutes(2)))
    func eachIsRefusedNamingItsFieldAndTheRestIsStored() async throws {
        try await PipelineFixture.with(partitions: 2) { fixture in
            try await fixture.insertCatalog()
            try await fixture.source.generate(people: 30)
            try await fixture.source.client.execute("ALTER TABLE in_person ADD COLUMN extra json")
            try await fixture.source.client.execute(#"UPDATE in_person SET extra = '{"note": "a\u0000b"}' WHERE external_id = 'P-3'"#)
            // Random hex does not compress: 3,000 bytes stay over the index entry limit.
            try await fixture.source.client.execute(
                "UPDATE in_person SET iin = (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 94) g) WHERE external_id = 'P-5'")
            try await fixture.source.signal(.day1)
            let (stream, consume) = try await fixture.migrate(.day1)
            let people = try #require(consume.tables["in_person"])
            #expect(people.rejected == 2)
            #expect(people.created == 28)
            let errors = try await fixture.starter.journal.errors(of: stream.migrationID).filter { $0.stage == .consume }
            let byRecord = Dictionary(errors.map { ($0.externalID ?? "", $0) }) { first, _ in first }
            #expect(byRecord["P-3"]?.field == "extra")
            #expect(byRecord["P-3"]?.reason.contains("U+0000") == true)
            #expect(byRecord["P-5"]?.field == "iin")
            #expect(byRecord["P-5"]?.reason.contains("exceeds the limit") == true)
            #expect(try await fixture.instance("Person", "P-3") == nil)
            #expect(try await fixture.instance("Person", "P-4") != nil)
        }
    }
}

/// What the assembler cannot foresee: a constraint of the store itself.
@Suite("Consumer: a record the store refuses", .serialized, .enabled(if: TestDatabase.isAvailable))
struct StoreRefusalTests {
    /// The batch that holds the record is narrowed down until the record is alone; it is
    /// rejected with the store's reason and sent to the dead-letter topic, and every other
    /// record of the day is stored once.
    @Test(.timeLimit(.minutes(2)))
    func theRecordIsIsolatedAndRejectedAndTheRestIsStored() async throws {
        try await PipelineFixture.with(partitions: 2) { fixture in
            try await fixture.insertCatalog()
            try await fixture.source.generate(people: 60)
            try await fixture.source.client.execute("UPDATE in_person SET first_name = 'Poison' WHERE external_id = 'P-17'")
            try await fixture.source.client.execute(
                """
                ALTER TABLE inmigration.boi_instance ADD CONSTRAINT no_poison
                CHECK (document->>'first_name' IS DISTINCT FROM 'Poison')
                """)
            try await fixture.source.signal(.day1)
            let (stream, consume) = try await fixture.migrate(.day1)
            let people = try #require(consume.tables["in_person"])
            #expect(people.rejected == 1)
            #expect(people.created == 59)
            #expect(consume.total.records == stream.recordsStreamed)
            let errors = try await fixture.starter.journal.errors(of: stream.migrationID).filter { $0.stage == .consume }
            #expect(errors.count == 1)
            let error = try #require(errors.first)
            #expect(error.externalID == "P-17")
            #expect(error.reason.contains("no_poison"), "\(error.reason)")
            #expect(try await fixture.instance("Person", "P-17") == nil)
            #expect(try await fixture.instance("Person", "P-18") != nil)
            let dead = try fixture.broker.messages(on: fixture.configuration.kafka.topics.deadLetter)
            #expect(dead.count == 1)
            let letter = String(decoding: dead.first?.value ?? [], as: UTF8.self)
            #expect(letter.contains(#""externalId":"P-17""#), "\(letter)")
        }
    }
}
