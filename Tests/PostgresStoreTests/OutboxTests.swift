import Domain
import IntegrationSupport
import Postgres
@testable import PostgresStore
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
            var ids: [Int64] = []
            for batch in 0..<3 {
                var changes = StoreChanges()
                // Given in descending index order within a batch: the order must follow the array, not the content.
                changes.outbox = Self.messages((batch * 10)..<(batch * 10 + 10)).reversed()
                ids.append(try #require(try await fixture.apply(changes)))
            }
            #expect(ids == ids.sorted() && Set(ids).count == 3, "one entry per batch, ids ascending")
            let expected = (0..<3).flatMap { batch in
                Self.messages((batch * 10)..<(batch * 10 + 10)).reversed().map { message in
                    OutboxMessage(id: ids[batch], topic: message.topic, key: message.key, value: message.value)
                }
            }
            let pending = try await fixture.store.pendingOutbox(limit: 100)
            #expect(pending == expected)

            // Whole entries: the first always, then more while under the limit.
            #expect(try await fixture.store.pendingOutbox(limit: 5) == Array(expected.prefix(10)))
            #expect(try await fixture.store.pendingOutbox(limit: 11) == Array(expected.prefix(20)))
            #expect(try await fixture.store.outboxHasPending(upTo: ids[0]))
            try await fixture.store.removeOutbox([ids[0]])
            try await fixture.store.removeOutbox([ids[0]])
            #expect(try await fixture.store.outboxHasPending(upTo: ids[0]) == false)
            #expect(try await fixture.store.outboxHasPending(upTo: ids[1]))
            // The lanes' entries published together: only others' entries count.
            #expect(try await fixture.store.outboxHasPending(upTo: ids[2], except: [ids[1], ids[2]]) == false)
            #expect(try await fixture.store.outboxHasPending(upTo: ids[2], except: [ids[2]]))
            #expect(try await fixture.store.pendingOutbox(limit: 100) == Array(expected.dropFirst(10)))
        }
    }

    /// A batch's payload is compressed with lz4 where the server has it, also in a store an
    /// earlier version installed (uncompressed); never with pglz, which cost more than it saved.
    @Test func payloadIsCompressedWithLZ4WhereTheServerHasIt() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.client.execute(
                "ALTER TABLE inmigration.outbox_batch ALTER COLUMN payload SET STORAGE EXTERNAL, "
                    + "ALTER COLUMN payload SET COMPRESSION pglz")
            try await fixture.store.install(mapping: StoreFixture.mapping)
            let hasLZ4 = try await fixture.count(
                "SELECT count(*) AS n FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)")
            let column = try #require(
                try await fixture.client.execute(
                    """
                    SELECT attstorage::text AS storage, attcompression::text AS compression FROM pg_attribute
                    WHERE attrelid = 'inmigration.outbox_batch'::regclass AND attname = 'payload'
                    """
                ).first)
            if hasLZ4 == 1 {
                #expect(column["storage"] == "x")
                #expect(column["compression"] == "l")
            } else {
                #expect(column["storage"] == "e")
            }

            var changes = StoreChanges()
            changes.outbox = Self.messages(0..<2_000)
            let id = try #require(try await fixture.apply(changes))
            let stored = try #require(
                try await fixture.client.execute(
                    "SELECT pg_column_compression(payload) AS method, octet_length(payload) AS bytes, "
                        + "pg_column_size(payload) AS size FROM inmigration.outbox_batch WHERE id = $1",
                    [String(id)]
                ).first)
            if hasLZ4 == 1 {
                #expect(stored["method"] == "lz4")
                let bytes = try #require(stored.int("bytes")), size = try #require(stored.int("size"))
                #expect(size * 3 < bytes, "\(bytes) bytes stored in \(size)")
            } else {
                #expect(stored["method"] == nil)
            }
            let expected = Self.messages(0..<2_000).map {
                OutboxMessage(id: id, topic: $0.topic, key: $0.key, value: $0.value)
            }
            #expect(try await fixture.store.pendingOutbox(limit: 5_000) == expected)
        }
    }

    /// A row whose payload does not hold the messages it counts is reported by its id, not read
    /// as fewer messages.
    @Test func payloadThatDoesNotAddUpIsReportedByItsRow() async throws {
        try await StoreFixture.with { fixture in
            let one = OutboxPayload.encode([OutboxMessage(topic: "BOI", key: nil, value: [1, 2, 3])])
            let hex = one.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
            let id = try #require(
                try await fixture.client.execute(
                    "INSERT INTO inmigration.outbox_batch (messages, payload) VALUES (2, decode($1, 'hex')) RETURNING id",
                    [hex]
                ).first?["id"])
            await #expect {
                _ = try await fixture.store.pendingOutbox(limit: 10)
            } throws: { error in
                "\(error)".contains("outbox_batch row \(id)") && "\(error)".contains("message 2 of 2 has no topic")
            }
        }
    }

    @Test func emptyOutboxOfAnEarlierVersionIsDroppedAndAFullOneStopsTheInstall() async throws {
        try await StoreFixture.with { fixture in
            let legacy = "CREATE TABLE inmigration.outbox (id bigserial PRIMARY KEY, topic text, key bytea, value bytea)"
            try await fixture.client.execute(legacy)
            try await fixture.store.install(mapping: StoreFixture.mapping)
            #expect(try await fixture.count("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'outbox'") == 0)

            try await fixture.client.execute(legacy)
            try await fixture.client.execute("INSERT INTO inmigration.outbox (topic, value) VALUES ('BOI', '\\x00')")
            await #expect {
                try await fixture.store.install(mapping: StoreFixture.mapping)
            } throws: { error in
                "\(error)".contains("earlier in-migration version still holds messages")
            }
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.outbox") == 1)
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
