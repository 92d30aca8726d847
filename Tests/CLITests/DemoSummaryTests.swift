import Foundation
import IntegrationSupport
import Logging
import Postgres
import Testing

@Suite("The demo's summary against the demo data", .serialized, .enabled(if: TestDatabase.isAvailable))
struct DemoSummaryTests {
    @Test(.timeLimit(.minutes(3)))
    func theLastLineCountsWhatTheDemoDataHolds() async throws {
        let (result, moments) = try await TestDatabase.with { database in
            let result = try CLIProcess.run(
                ["demo", "--config", TestConfiguration.exampleFile, "--log-level", "error"],
                environment: ["INMIGRATION_SOURCE_URL": database.url, "INMIGRATION_STORE_URL": database.url])
            let client = PostgresClient(conninfo: database.url, logger: Logger(label: "test.demo"))
            let moments = try await client.execute(
                "SELECT safe_to_clear_at::text AS at FROM process_tracking ORDER BY oper_date"
            ).map { $0["at"] }
            await client.close()
            return (result, moments)
        }
        #expect(result.status == 0, "demo failed: \(result.stderr)")
        let last = try #require(result.stdout.split(separator: "\n").last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let summary = object.compactMapValues { $0 as? Int }
        // Both days became safe to clear, and the summary carries the last moment and a lag of 0.
        #expect(moments.count == 2)
        #expect(moments.allSatisfy { $0 != nil })
        #expect(object["safe_to_clear_at"] as? String == moments.last ?? nil)
        #expect(summary["lag"] == 0)
        #expect(object["lag_status"] as? String == "OK")
        // Day 1: 4 departments, 6 persons, 2 groups, 3 contracts and a refused company.
        // Day 2: D-REGION, P-001 (unchanged), P-003 (changed), P-005 (removed), P-102 (same
        // national id as P-002: merged), a person without externalId, C-1002 (changed), a company.
        #expect(summary["records"] == 24)
        #expect(summary["streamed"] == 22)
        #expect(summary["created"] == 16)
        #expect(summary["updated"] == 2)
        #expect(summary["unchanged"] == 1)
        #expect(summary["merged"] == 1)
        #expect(summary["removed"] == 1)
        #expect(summary["skipped"] == 0)
        #expect(summary["rejected"] == 3, "two companies and the record without externalId")
        // D-OPS waited for D-REGION from day 1 to day 2; by the end nothing dangles. How many
        // references had to wait depends on which partition the broker served first.
        #expect(summary["refs_dangling"] == 0)
        #expect(summary["refs_parked"] == summary["refs_resolved"])
        #expect((summary["refs_resolved"] ?? 0) >= 1)
        // One event per created, updated, merged and removed instance, plus one per waiting
        // instance whose reference got filled; every one of them reached BOI.
        #expect((summary["boi_events"] ?? 0) >= 16 + 2 + 1 + 1 + 1)
        #expect(summary["boi_events"] == summary["boi_events_on_topic"])
        #expect(summary["days"] == 2)
    }
}
