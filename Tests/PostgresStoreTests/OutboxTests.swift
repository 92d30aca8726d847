import Domain
import IntegrationSupport
import Postgres
import PostgresStore
import Store
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct OutboxTests {
    static func messages(_ range: Range<Int>) -> [OutboxMessage] {
        range.map { index in
            OutboxMessage(
                topic: index.isMultiple(of: 3) ? "IN_MIGRATION_DLQ" : "BOI",
                key: index.isMultiple(of: 4) ? nil : Array("key-\(index)".utf8),
                value: [0, 255, UInt8(index % 256), 92, 34, 39] + Array("value \(index) ü".utf8))
        }
    }

    @Test func outboxKeepsOrderAcrossAppliesAndForgetsWhatWasRemoved() async throws {
        try await StoreFixture.with { fixture in
            var ids: [[Int64]] = []
            for batch in 0..<3 {
                var changes = StoreChanges()
                // Given in descending index order within a batch: ids must follow the array, not the content.
                changes.outbox = Self.messages((batch * 10)..<(batch * 10 + 10)).reversed()
                ids.append(try await fixture.apply(changes))
            }
            let expected = (0..<3).flatMap { batch in Self.messages((batch * 10)..<(batch * 10 + 10)).reversed() }
            let pending = try await fixture.store.pendingOutbox(limit: 100)
            #expect(pending.map { [$0.topic] + [$0.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"] }
                == expected.map { [$0.topic] + [$0.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"] })
            #expect(pending.map(\.value) == expected.map(\.value))
            #expect(pending.map(\.id) == pending.map(\.id).sorted())
            #expect(Set(pending.map(\.id)).count == 30)
            #expect(ids.flatMap { $0 } == pending.map(\.id), "the ids apply returned, in the order given")

            #expect(try await fixture.store.pendingOutbox(limit: 5) == Array(pending.prefix(5)))
            #expect(try await fixture.store.outboxHasPending(upTo: pending[4].id))
            try await fixture.store.removeOutbox(pending.prefix(5).map(\.id))
            try await fixture.store.removeOutbox(pending.prefix(5).map(\.id))
            #expect(try await fixture.store.outboxHasPending(upTo: pending[4].id) == false)
            #expect(try await fixture.store.outboxHasPending(upTo: pending[5].id))
            #expect(try await fixture.store.pendingOutbox(limit: 100) == Array(pending.dropFirst(5)))
        }
    }

    @Test func onlyOneProcessRelaysTheOutbox() async throws {
        try await StoreFixture.with { fixture in
            let (other, otherClient) = fixture.secondStore()
            let (third, thirdClient) = fixture.secondStore()
            #expect(try await fixture.store.acquireOutboxRelay())
            #expect(try await fixture.store.acquireOutboxRelay())
            #expect(try await other.acquireOutboxRelay() == false)
            // The holder's connection ends: another process takes over.
            await fixture.client.close()
            var acquired = false
            for _ in 0..<50 where !acquired {
                acquired = try await other.acquireOutboxRelay()
                if !acquired { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(acquired)
            #expect(try await third.acquireOutboxRelay() == false)
            await otherClient.close()
            await thirdClient.close()
        }
    }
}
