import Config
@testable import Consumer
import IntegrationSupport
import Kafka
import Postgres
import PostgresStore
import Store
import Testing

@Suite("Consumer: outbox relay", .serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct OutboxRelayTests {
    /// Lanes finish in any order: a later transaction reported first waits for the earlier one's
    /// entry, so both are drained in outbox order; the earlier one, reported next, must not be
    /// sent again from memory.
    @Test func aTransactionDrainedBeforeItIsReportedIsNotPublishedTwice() async throws {
        try await PipelineFixture.with { fixture in
            let topic = fixture.configuration.kafka.topics.boi
            func commit(_ name: String) async throws -> [OutboxMessage] {
                var changes = StoreChanges()
                changes.outbox = (0..<3).map { index in
                    OutboxMessage(topic: topic, key: Array("\(name)-\(index)".utf8), value: Array("\(name) \(index)".utf8))
                }
                let staged = changes
                let id = try #require(try await fixture.store.transaction { try $0.apply(staged) })
                return changes.outbox.map { OutboxMessage(id: id, topic: $0.topic, key: $0.key, value: $0.value) }
            }
            let earlier = try await commit("earlier")
            let later = try await commit("later")
            let producer = try KafkaProducer(
                properties: try ConsumerSettings.producerProperties(for: fixture.configuration), logger: fixture.logger)
            defer { producer.close(flushTimeout: .seconds(5)) }
            let relay = OutboxRelay(store: fixture.store, producer: producer, logger: fixture.logger)

            #expect(try await relay.publish(later) == nil, "the earlier entry waits in the outbox")
            try await relay.awaitPublished(upTo: try #require(later.last?.id))
            #expect(try await relay.publish(earlier) == nil, "drained already")
            try await relay.awaitPublished(upTo: try #require(earlier.last?.id))

            let published = try fixture.broker.messages(on: topic).map { String(decoding: $0.value, as: UTF8.self) }
            #expect(published.sorted() == (earlier + later).map { String(decoding: $0.value, as: UTF8.self) }.sorted())
            #expect(try await fixture.store.pendingOutbox(limit: 10).isEmpty)

            // Forgotten when no lane is busy: a new transaction is published from memory again.
            relay.forgetDrained()
            let next = try await commit("next")
            let publication = try #require(try await relay.publish(next))
            try await relay.settle(publication)
            #expect(try fixture.broker.messages(on: topic).count == 9)
        }
    }
    /// A message larger than the producer takes would be refused on every try and hold up every
    /// message after it: it is reported and left out, and the rest are published.
    @Test func aMessageTooLargeForTheProducerIsReportedAndTheRestArePublished() async throws {
        try await PipelineFixture.with { fixture in
            let topic = fixture.configuration.kafka.topics.boi
            let event = #"{"eventId":"boi-1:1","boiId":"boi-1","bo":"Person","externalId":"P-1","migrationId":"mig-big","changes":{"notes":""#
                + String(repeating: "x", count: 3_000) + #""}}"#
            var changes = StoreChanges()
            changes.outbox = [
                OutboxMessage(topic: topic, key: Array("a".utf8), value: Array("before".utf8)),
                OutboxMessage(topic: topic, key: Array("boi-1".utf8), value: Array(event.utf8)),
                OutboxMessage(topic: topic, key: Array("b".utf8), value: Array("after".utf8)),
            ]
            let staged = changes
            _ = try await fixture.store.transaction { try $0.apply(staged) }
            var properties = try ConsumerSettings.producerProperties(for: fixture.configuration)
            properties["message.max.bytes"] = "2000"
            let producer = try KafkaProducer(properties: properties, logger: fixture.logger)
            defer { producer.close(flushTimeout: .seconds(5)) }
            let relay = OutboxRelay(store: fixture.store, producer: producer, logger: fixture.logger)

            #expect(try await relay.drain() == 2)
            let published = try fixture.broker.messages(on: topic).map { String(decoding: $0.value, as: UTF8.self) }
            #expect(published == ["before", "after"])
            #expect(try await fixture.store.pendingOutbox(limit: 10).isEmpty)
            let errors = try await fixture.source.client.execute(
                "SELECT migration_id, external_id, reason FROM inmigration.migration_error")
            #expect(errors.count == 1)
            #expect(errors.first?["migration_id"] == "mig-big" && errors.first?["external_id"] == "P-1")
            #expect(errors.first?["reason"]?.contains("the change event boi-1:1 for topic \(topic) has 3") == true)
        }
    }
}
