import Config
import Domain
import Foundation
import Handshake
import IntegrationSupport
import Journal
import Postgres
import Starter
import Testing

/// The journal lives in the product's database, which can fail or stall on its own; what the
/// customer was told through `process_tracking` must stay true, and the lease must stay live.
@Suite("Starter: a journal that fails or stalls", .serialized, .enabled(if: TestDatabase.isAvailable))
struct JournalFaultTests {
    /// The done-signal was given, then writing the journal's verdict failed once: it is written
    /// on a later try, so the monitor can still give the safe-to-clear signal.
    @Test(.timeLimit(.minutes(1)))
    func theVerdictAfterTheDoneSignalIsRetried() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            try await fixture.source.generate(people: 20)
            let trackingID = try await fixture.source.signal(.day1)
            let schema = try await Self.onFirstUpdate(
                of: "migration", where: "NEW.status = 'STREAMED'", do: "RAISE EXCEPTION 'journal unavailable'",
                counting: "verdicts", in: fixture)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "DONE")
            #expect(try await runtime.journal.report(report.migrationID)?.status == "STREAMED")
            let attempts = try await fixture.source.client.execute("SELECT last_value FROM \(schema).verdicts")
            #expect(attempts.first?.int64("last_value") == 2)
        }
    }

    /// Progress writes to the journal hang for longer than the lease; the lease is renewed all
    /// the same, so no other instance can take over the migration and stream it a second time.
    @Test(.timeLimit(.minutes(1)))
    func theLeaseIsRenewedWhileTheJournalHangs() async throws {
        try await StarterFixture.with(partitions: 2, adjust: { $0.lease.duration = .seconds(2) }) { fixture, runtime in
            try await fixture.source.generate(people: 200)
            let trackingID = try await fixture.source.signal(.day1)
            // The first write of rows read (progress, or a finished table) sleeps six seconds,
            // holding its row: every later write of that table's progress waits for it.
            let schema = try await Self.onFirstUpdate(
                of: "migration_table", where: "NEW.rows_read > 0", do: "PERFORM pg_sleep(6)", counting: "stalls",
                in: fixture)
            let stream = Task { try await runtime.starter.runUntilIdle() }
            // Four seconds in: the lease (two seconds) would have lapsed without renewals.
            try await Task.sleep(for: .seconds(4))
            let other = try await runtime.handshake.claim(migrationID: .generate(), lease: .seconds(2))
            if case .claimed(let stolen) = other {
                Issue.record("the lease lapsed while the journal hung: \(stolen.migrationID) took the migration over")
            }
            let report = try #require(try await stream.value.first)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "DONE")
            #expect(try await runtime.journal.report(report.migrationID)?.status == "STREAMED")
            let stalls = try await fixture.source.client.execute("SELECT last_value FROM \(schema).stalls")
            #expect((stalls.first?.int64("last_value") ?? 0) >= 1, "the journal never stalled")
        }
    }

    /// Installs a trigger on a journal table that runs `action` in the first update matching
    /// `condition`; the sequence `counter` counts the matching updates.
    /// - Returns: the journal's schema, quoted.
    private static func onFirstUpdate(
        of table: String, where condition: String, do action: String, counting counter: String,
        in fixture: StarterFixture
    ) async throws -> String {
        let schema = PostgresConnection.quoteIdentifier(fixture.configuration.store.schema)
        try await fixture.source.client.execute("CREATE SEQUENCE \(schema).\(counter)")
        try await fixture.source.client.execute(
            """
            CREATE FUNCTION \(schema).\(counter)_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF \(condition) AND nextval('\(schema).\(counter)') = 1 THEN
                    \(action);
                END IF;
                RETURN NEW;
            END $$
            """)
        try await fixture.source.client.execute(
            """
            CREATE TRIGGER \(counter)_once BEFORE UPDATE ON \(schema).\(table)
            FOR EACH ROW EXECUTE FUNCTION \(schema).\(counter)_once()
            """)
        return schema
    }
}
