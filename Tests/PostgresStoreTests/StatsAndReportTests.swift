import Domain
import IntegrationSupport
import Journal
import Postgres
import PostgresStore
import Store
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct StatsAndReportTests {
    static func stats(records: Int64, created: Int64, rejected: Int64 = 0, events: Int64 = 0) -> ConsumeStats {
        var stats = ConsumeStats()
        stats.records = records
        stats.created = created
        stats.rejected = rejected
        stats.boiEvents = events
        stats.refsParked = 1
        return stats
    }

    @Test func statsAddUpAcrossApplies() async throws {
        try await StoreFixture.with { fixture in
            let person = StatsKey(migrationID: Sample.migration, table: "in_person")
            let contract = StatsKey(migrationID: Sample.migration, table: "in_contract")
            let elsewhere = StatsKey(migrationID: MigrationID(rawValue: "mig-other"), table: "in_person")
            var first = StoreChanges()
            first.stats = [
                person: Self.stats(records: 3, created: 2, rejected: 1, events: 2),
                elsewhere: Self.stats(records: 7, created: 7),
            ]
            var second = StoreChanges()
            second.stats = [
                person: Self.stats(records: 2, created: 2, events: 2), contract: Self.stats(records: 1, created: 1),
            ]
            try await fixture.apply(first)
            try await fixture.apply(second)

            let report = try await fixture.store.consumeReport(Sample.migration)
            #expect(
                report.tables[person.table]
                    == Self.stats(records: 3, created: 2, rejected: 1, events: 2)
                    + Self.stats(records: 2, created: 2, events: 2))
            #expect(report.tables[contract.table] == Self.stats(records: 1, created: 1))
            #expect(report.tables.count == 2)
            #expect(report.total.records == 6)
            #expect(report.total.refsParked == 3)
            #expect(report.markersSeen == 0)
            #expect(report.markersExpected == nil)
            #expect(report.dangling == nil)
            let nothing = try await fixture.store.consumeReport(MigrationID(rawValue: "mig-none"))
            #expect(nothing.tables.isEmpty && nothing.markersSeen == 0 && nothing.dangling == nil)
        }
    }

    @Test func errorsGoToTheJournal() async throws {
        try await StoreFixture.with { fixture in
            var changes = StoreChanges()
            changes.errors = [
                RecordError(
                    migrationID: Sample.migration, stage: .consume, table: "in_company", externalID: "C-1", field: nil,
                    reason: "Company is not migrated", raw: "{\"kind\":\"record\"}"),
                RecordError(
                    migrationID: Sample.migration, stage: .consume, table: nil, externalID: nil, field: nil,
                    reason: "unreadable message"),
            ]
            let expected = changes.errors
            try await fixture.apply(changes)
            #expect(try await fixture.journal.errors(of: Sample.migration) == expected)
        }
    }

    /// A garbage message's raw bytes can hold U+0000, which PostgreSQL text cannot: the error is
    /// kept with U+FFFD in its place, and the batch commits.
    @Test func anErrorHoldingTheNULCharacterIsKept() async throws {
        try await StoreFixture.with { fixture in
            var changes = StoreChanges()
            changes.errors = [
                RecordError(
                    migrationID: Sample.migration, stage: .consume, table: "in\u{0}person", externalID: "P-\u{0}1",
                    field: "na\u{0}me", reason: "malformed: \u{0}", raw: "\u{0}\u{0}garbage\u{0}")
            ]
            try await fixture.apply(changes)
            let stored = try await fixture.journal.errors(of: Sample.migration)
            #expect(stored.count == 1)
            #expect(stored.first?.table == "in\u{FFFD}person")
            #expect(stored.first?.externalID == "P-\u{FFFD}1")
            #expect(stored.first?.field == "na\u{FFFD}me")
            #expect(stored.first?.reason == "malformed: \u{FFFD}")
            #expect(stored.first?.raw == "\u{FFFD}\u{FFFD}garbage\u{FFFD}")
        }
    }

    /// The dangling list appears once every marker was seen, and each reference check replaces it.
    @Test func danglingReportFollowsTheMarkers() async throws {
        try await StoreFixture.with { fixture in
            let dangling = [
                ParkedReference(
                    source: Sample.id("Department", "D-1"), field: "head", position: nil,
                    target: .object(Sample.key("Person", "P-9")), migrationID: Sample.migration),
                ParkedReference(
                    source: Sample.id("Contract", "C-1"), field: "status", position: 3,
                    target: .catalogEntry(catalog: "contract_status", code: "X"),
                    migrationID: MigrationID(rawValue: "mig-earlier")),
            ]
            let first = try await fixture.store.transaction { transaction in
                try transaction.recordMarker(Sample.migration, partition: 0, partitions: 2)
            }
            #expect(first == false)
            var report = try await fixture.store.consumeReport(Sample.migration)
            #expect(report.markersSeen == 1 && report.markersExpected == 2 && report.dangling == nil)

            let last = try await fixture.store.transaction { transaction in
                let last = try transaction.recordMarker(Sample.migration, partition: 1, partitions: 2)
                try transaction.clearDangling(of: Sample.migration)
                try transaction.addDangling([dangling[1]], of: Sample.migration)
                try transaction.addDangling([dangling[0]], of: Sample.migration)
                return last
            }
            #expect(last)
            report = try await fixture.store.consumeReport(Sample.migration)
            #expect(report.markersSeen == 2 && report.markersExpected == 2)
            #expect(report.dangling == dangling.sorted { $0.source < $1.source } && report.danglingCount == 2)
            let targets = try await fixture.client.execute(
                "SELECT target FROM inmigration.migration_dangling ORDER BY target"
            ).compactMap { $0["target"] }
            #expect(targets == ["Person:P-9", "catalog contract_status:X"])

            // A marker delivered again changes nothing; a later check replaces the list.
            let again = try await fixture.store.transaction { transaction in
                try transaction.recordMarker(Sample.migration, partition: 1, partitions: 2)
            }
            #expect(again == false)
            try await fixture.store.transaction { transaction in
                try transaction.clearDangling(of: Sample.migration)
                try transaction.addDangling([dangling[0]], of: Sample.migration)
            }
            report = try await fixture.store.consumeReport(Sample.migration)
            #expect(report.dangling == [dangling[0]] && report.danglingCount == 1)
            try await fixture.store.transaction { transaction in try transaction.clearDangling(of: Sample.migration) }
            report = try await fixture.store.consumeReport(Sample.migration)
            #expect(report.dangling == [] && report.danglingCount == 0)
        }
    }

    /// A load can leave hundreds of thousands of references dangling: the report counts them all
    /// and lists only the first, in slot order.
    @Test func reportCountsEveryDanglingReferenceAndListsTheFirst() async throws {
        try await StoreFixture.with { fixture in
            let count = ConsumeReport.danglingListed + 50
            let references = (0..<count).map { index in
                ParkedReference(
                    source: Sample.id("Person", "P-\(index)"), field: "department", position: nil,
                    target: .object(Sample.key("Department", "D-\(index)")), migrationID: Sample.migration)
            }
            try await fixture.store.transaction { transaction in
                _ = try transaction.recordMarker(Sample.migration, partition: 0, partitions: 1)
                try transaction.clearDangling(of: Sample.migration)
                try transaction.addDangling(Array(references[..<75]), of: Sample.migration)
                try transaction.addDangling(Array(references[75...]), of: Sample.migration)
            }
            let report = try await fixture.store.consumeReport(Sample.migration)
            #expect(report.danglingCount == Int64(count))
            let first = Array(references.sorted { $0.source < $1.source }.prefix(ConsumeReport.danglingListed))
            #expect(report.dangling == first)
        }
    }
}
