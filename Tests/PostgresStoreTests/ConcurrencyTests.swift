import Domain
import Foundation
import IntegrationSupport
import Postgres
import PostgresStore
import Store
import Synchronization
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct ConcurrencyTests {
    private struct Boom: Error {}

    @Test func bodyThatThrowsLeavesNothing() async throws {
        try await StoreFixture.with { fixture in
            await #expect(throws: Boom.self) {
                try await fixture.store.transaction { transaction in
                    var changes = PositionTests.moving([0: (nil, 5)], creating: [Sample.person("P-1", iin: "1")])
                    changes.parked = [
                        ParkedReference(
                            source: Sample.id("Person", "P-1"), field: "boss", position: nil,
                            target: .object(Sample.key("Person", "P-2")), migrationID: Sample.migration)
                    ]
                    changes.stats = [StatsKey(migrationID: Sample.migration, table: "in_person"): ConsumeStats()]
                    changes.errors = [
                        RecordError(
                            migrationID: Sample.migration, stage: .consume, table: nil, externalID: nil, field: nil,
                            reason: "x")
                    ]
                    _ = try transaction.apply(changes)
                    _ = try transaction.recordMarker(Sample.migration, partition: 0, partitions: 1)
                    try transaction.addDangling(changes.parked, of: Sample.migration)
                    throw Boom()
                }
            }
            let counts = try await fixture.tableCounts()
            #expect(counts.values.allSatisfy { $0 == 0 })
        }
    }

    /// Two consumers see the last two markers of a migration at the same time, each in its own
    /// transaction on its own connection: exactly one of them learns it was the last.
    @Test(arguments: 0..<4)
    func lastMarkerIsReportedExactlyOnce(round: Int) async throws {
        try await StoreFixture.with { fixture in
            let migration = MigrationID(rawValue: "mig-race-\(round)")
            let (other, otherClient) = fixture.secondStore()
            func mark(_ store: PostgresBOIStore, _ partition: Int32) async throws -> Bool {
                try await store.transaction { transaction in
                    let last = try transaction.recordMarker(migration, partition: partition, partitions: 2)
                    // Hold the transaction open so that the two overlap.
                    Thread.sleep(forTimeInterval: 0.2)
                    return last
                }
            }
            async let first = mark(fixture.store, 0)
            async let second = mark(other, 1)
            let results = try await [first, second]
            await otherClient.close()
            #expect(results.filter { $0 }.count == 1)
            let report = try await fixture.store.consumeReport(migration)
            #expect(report.markersSeen == 2 && report.markersExpected == 2)
        }
    }

    /// A read locks what it returns: a second consumer reading the same instance waits until
    /// the first one commits, and then sees its write.
    @Test func readsLockUntilCommit() async throws {
        try await StoreFixture.with { fixture in
            let person = Sample.person("P-1", iin: "1")
            try await fixture.apply(Sample.creating([person]))
            let (other, otherClient) = fixture.secondStore()
            let clock = ContinuousClock()
            let released = Mutex<ContinuousClock.Instant?>(nil)

            let holder = Task {
                try await fixture.store.transaction { transaction in
                    var locked = try transaction.instances([person.boiId])[person.boiId]!
                    locked.document["first_name"] = .string("Changed")
                    var changes = StoreChanges()
                    changes.instances = [locked]
                    _ = try transaction.apply(changes)
                    Thread.sleep(forTimeInterval: 0.6)
                    released.withLock { $0 = clock.now }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let started = clock.now
            let seen = try await other.transaction { transaction in
                try transaction.instances([person.boiId])[person.boiId]
            }
            let waited = clock.now - started
            let got = clock.now
            try await holder.value
            await otherClient.close()
            print("FOR UPDATE: the second reader waited \(waited) for the first transaction")
            #expect(seen?.document["first_name"] == .string("Changed"))
            #expect(try #require(released.withLock { $0 }) <= got)
            #expect(waited >= .milliseconds(250))
        }
    }

    /// The lock order of a batch: parked references are read without waiting for the consumer
    /// that holds their source instance, and locked only once the source is: then the holder's
    /// change is what the second reader sees.
    @Test func parkedReferencesAreLockedAfterTheirSource() async throws {
        try await StoreFixture.with { fixture in
            let contract = Sample.contract("C-1", number: "N-1", year: 2024)
            let reference = ParkedReference(
                source: contract.boiId, field: "person", position: nil, target: .object(Sample.key("Person", "P-9")),
                migrationID: Sample.migration)
            var setup = Sample.creating([contract])
            setup.parked = [reference]
            try await fixture.apply(setup)
            let (other, otherClient) = fixture.secondStore()
            let clock = ContinuousClock()

            let holder = Task {
                try await fixture.store.transaction { transaction in
                    _ = try transaction.instances([contract.boiId])
                    var changes = StoreChanges()
                    changes.unparked = [reference.slot]
                    _ = try transaction.apply(changes)
                    Thread.sleep(forTimeInterval: 0.6)
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let started = clock.now
            let (seen, readAt, locked) = try await other.transaction { transaction in
                let seen = try transaction.parkedReferences(waitingFor: [reference.target])
                let readAt = clock.now
                _ = try transaction.instances([contract.boiId])
                return (seen, readAt, try transaction.lockParkedReferences(of: [contract.boiId]))
            }
            let waited = clock.now - started
            try await holder.value
            await otherClient.close()
            #expect(seen == [reference])
            #expect(readAt - started < .milliseconds(250))
            #expect(waited >= .milliseconds(250))
            #expect(locked.isEmpty)
        }
    }

    /// Two consumers locking the same two instances in opposite orders: the server picks one as
    /// the deadlock victim, which comes back as a conflict to retry, and the other commits.
    @Test func deadlockIsARetryableConflict() async throws {
        try await StoreFixture.with { fixture in
            let first = Sample.person("P-1", iin: "1")
            let second = Sample.person("P-2", iin: "2")
            try await fixture.apply(Sample.creating([first, second]))
            let (other, otherClient) = fixture.secondStore()
            func lock(_ store: PostgresBOIStore, _ ids: [BoiID]) async -> (any Error)? {
                do {
                    try await store.transaction { transaction in
                        _ = try transaction.instances([ids[0]])
                        Thread.sleep(forTimeInterval: 0.3)
                        _ = try transaction.instances([ids[1]])
                    }
                    return nil
                } catch {
                    return error
                }
            }
            async let one = lock(fixture.store, [first.boiId, second.boiId])
            async let two = lock(other, [second.boiId, first.boiId])
            let errors = await [one, two].compactMap { $0 }
            await otherClient.close()
            #expect(errors.count == 1)
            #expect((errors.first as? StoreConflict)?.kind == .retryable)
        }
    }
}
