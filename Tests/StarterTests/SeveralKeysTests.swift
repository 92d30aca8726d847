import Config
import Domain
import Handshake
import IntegrationSupport
import Journal
import Kafka
import Postgres
import Starter
import Testing

@Suite("Starter: externalIds whose rows differ in the unique key", .serialized, .enabled(if: TestDatabase.isAvailable))
struct SeveralKeysTests {
    /// Two rows of one externalId with different unique-key values are keyed differently, so
    /// they may land on different partitions and be applied in either order. The operator is
    /// told which, in the journal; every row is still streamed. Rows of one externalId that
    /// share their key (the contracts' removals) keep their order and are not reported.
    @Test(.timeLimit(.minutes(1)))
    func theyAreReportedAndStillStreamed() async throws {
        try await StarterFixture.with(partitions: 4) { fixture, runtime in
            try await fixture.source.generate(people: 20)
            try await fixture.source.addDuplicatesAndRemovals()
            try await fixture.source.client.execute(
                """
                INSERT INTO in_person (external_id, first_name, iin) VALUES
                    ('P-3', 'Another iin', '999999999903'), ('P-3', 'And a third', '999999999913'),
                    ('P-5', 'Same iin', lpad('5', 12, '0')), ('P-7', 'No iin', NULL)
                """)
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            // The refused Company's record is the only other error of the stream stage.
            let errors = try await runtime.journal.errors(of: report.migrationID)
                .filter { $0.stage == .stream && $0.table != "in_company" }
            #expect(errors.map(\.table) == ["in_person", "in_person"])
            #expect(errors.map(\.externalID) == ["P-3", "P-7"])
            #expect(errors.allSatisfy { $0.field == "iin" })
            #expect(errors.first?.reason.hasPrefix("3 rows have this externalId and differ in iin") == true)
            #expect(errors.last?.reason.hasPrefix("2 rows have this externalId and differ in iin") == true)
            var copies: [String: Int] = [:]
            for (_, decoded) in try fixture.messages(of: report.migrationID) {
                if case .record(let record) = decoded, record.bo == "Person" { copies[record.externalId ?? "", default: 0] += 1 }
            }
            #expect(copies["P-3"] == 3 && copies["P-5"] == 2 && copies["P-7"] == 2 && copies["P-4"] == 1)
            let journal = try #require(try await runtime.journal.report(report.migrationID))
            #expect(journal.recordsRejected == 1)  // the refused Company, nothing else
        }
    }

    /// Beyond ``Starter/severalKeysErrorLimit`` externalIds the journal holds one summary.
    @Test(.timeLimit(.minutes(1)))
    func beyondTheLimitOneSummaryCountsTheRest() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            let people = Starter.severalKeysErrorLimit + 2
            try await fixture.source.generate(people: people)
            try await fixture.source.client.execute(
                "INSERT INTO in_person (external_id, first_name, iin) SELECT external_id, 'again', 'X' || iin FROM in_person")
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            let errors = try await runtime.journal.errors(of: report.migrationID, limit: people + 10)
                .filter { $0.stage == .stream && $0.table == "in_person" }
            #expect(errors.count == Starter.severalKeysErrorLimit + 1)
            #expect(errors.dropLast().allSatisfy { $0.externalID != nil })
            #expect(Set(errors.compactMap(\.externalID)).count == Starter.severalKeysErrorLimit)
            let summary = try #require(errors.last)
            #expect(summary.externalID == nil)
            #expect(summary.reason.contains("more externalIds than the \(Starter.severalKeysErrorLimit) listed"))
        }
    }
}
