import Domain
import IntegrationSupport
import PostgresStore
import Store
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct PositionTests {
    static func moving(_ moves: [Int32: (from: Int64?, to: Int64)], creating instances: [BOIInstance]) -> StoreChanges {
        var changes = Sample.creating(instances)
        changes.positions = PositionUpdate(group: "in_migration", topic: "IN_MIGRATION", moves: moves)
        changes.outbox = instances.map { OutboxMessage(topic: "BOI", key: Array($0.boiId.rawValue.utf8), value: [1]) }
        return changes
    }

    @Test func positionsMoveOnlyFromWhereTheBatchReadThem() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.apply(Self.moving([0: (nil, 10), 1: (nil, 5)], creating: [Sample.person("P-1", iin: "1")]))
            let stored = try await fixture.store.transaction {
                try $0.positions(group: "in_migration", topic: "IN_MIGRATION", partitions: [0, 1, 2])
            }
            #expect(stored == [0: 10, 1: 5])
            try await fixture.apply(Self.moving([0: (10, 20)], creating: [Sample.person("P-2", iin: "2")]))
            let before = try await fixture.tableCounts()

            // A consumer that read partition 1 at 5 and 0 at 10 (stale): nothing of its batch is kept.
            let stale = try await #require(throws: StoreConflict.self) {
                try await fixture.apply(Self.moving([1: (5, 9), 0: (10, 30)], creating: [Sample.person("P-3", iin: "3")]))
            }
            #expect(stale.kind == .positionMoved(partition: 0))
            // A consumer that believed partition 0 had no position yet.
            let fresh = try await #require(throws: StoreConflict.self) {
                try await fixture.apply(Self.moving([0: (nil, 3)], creating: [Sample.person("P-4", iin: "4")]))
            }
            #expect(fresh.kind == .positionMoved(partition: 0))
            #expect(try await fixture.tableCounts() == before)
            let after = try await fixture.store.transaction {
                try $0.positions(group: "in_migration", topic: "IN_MIGRATION", partitions: [0, 1])
            }
            #expect(after == [0: 20, 1: 5])
            // Other groups and topics are apart.
            let other = try await fixture.store.transaction {
                try $0.positions(group: "other", topic: "IN_MIGRATION", partitions: [0, 1])
            }
            #expect(other.isEmpty)
        }
    }
}
