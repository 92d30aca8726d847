import Foundation
import IntegrationSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The operator's dashboard as an operator sees it: `inmigration demo --serve` runs the demo's two
/// days and keeps serving; headless Chromium loads the page, runs its script against the real API
/// and hands back the DOM, which must show what the demo did. A screenshot is left in
/// `.build/artifacts/dashboard.png` for people to look at.
@Suite("The dashboard in headless Chromium", .serialized, .enabled(if: TestDatabase.isAvailable))
struct DashboardTests {
    /// The demo's days (DemoCommand's default `--oper-date` and the day after).
    static let days = ["2026-11-20", "2026-11-21"]
    /// The in-tables of config/inmigration.example.yaml (children are rows of their parents).
    static let inTables = ["in_department", "in_person", "in_person_group", "in_contract", "in_company"]

    @Test(.timeLimit(.minutes(5)))
    func thePageShowsWhatTheDemoDid() async throws {
        let chromium = try #require(
            Chromium.find(),
            "Chromium is not installed: the dashboard test needs it (Debian package `chromium`; scripts/install-deps installs it)"
        )
        try await TestDatabase.with { database in try await check(with: chromium, database: database) }
    }

    private func check(with chromium: Chromium, database: TestDatabase) async throws {
        let demo = try CLIProcess.start(
            ["demo", "--config", TestConfiguration.exampleFile, "--serve"],
            environment: [
                "INMIGRATION_SOURCE_URL": database.url, "INMIGRATION_STORE_URL": database.url,
                // Any free port: the demo prints the one it got.
                "INMIGRATION_HTTP_PORT": "0",
            ])
        defer { demo.removeFiles() }
        var stoppedCleanly = false
        defer { if !stoppedCleanly { _ = Self.stop(demo) } }

        let url = try await Self.dashboardURL(of: demo, deadline: .now + .seconds(180))
        #expect(url.hasPrefix("http://127.0.0.1:") && !url.hasPrefix("http://127.0.0.1:0/"))

        // The page refreshes every 2 s; the lag check and the safe-to-clear moment may come a
        // little after the summary, so the DOM is taken again until it has settled (or time is up).
        var page = DashboardDOM(html: "")
        let deadline = ContinuousClock.now + .seconds(60)
        repeat {
            page = DashboardDOM(html: try await chromium.dumpDOM(url))
            if page.hasSettled { break }
            try await Task.sleep(for: .seconds(1))
        } while ContinuousClock.now < deadline

        try expectWhatTheDemoDid(page)

        let screenshot = TestConfiguration.repositoryRoot.appendingPathComponent(".build/artifacts/dashboard.png")
        try await chromium.screenshot(url, to: screenshot)
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        #expect(size > 0, "Chromium wrote no screenshot at \(screenshot.path)")
        print("dashboard screenshot: \(screenshot.path)")

        let status = Self.stop(demo)
        stoppedCleanly = true
        #expect(status == 0, "demo --serve did not stop cleanly on SIGTERM: \(demo.errors().suffix(2000))")
    }

    private func expectWhatTheDemoDid(_ page: DashboardDOM) throws {
        let dom = page.html
        #expect(page.isLoaded, "the page never set data-loaded on <body>: \(dom.prefix(2000))")

        // process_tracking: both days, each with the moment its in-tables became safe to clear.
        let tracking = try #require(page.section("tracking"), "no #tracking section")
        #expect(tracking.contains("data-state=\"ok\""), "process_tracking failed: \(DashboardDOM.failure(in: tracking))")
        for day in Self.days {
            let row = try #require(
                DashboardDOM.element("tr", with: "data-oper-date=\"\(day)\"", in: tracking),
                "no process_tracking row for \(day): \(DashboardDOM.text(of: tracking))")
            #expect(row.contains("data-safe=\"yes\""), "\(day) is not shown as safe to clear: \(DashboardDOM.text(of: row))")
            #expect(
                DashboardDOM.attribute("data-safe-to-clear-at", in: row).map { !$0.isEmpty } == true,
                "\(day) has no safe-to-clear time")
            #expect(row.contains("safe to clear"))
            #expect(row.contains(">DONE<"), "\(day): load_status / ins_inkafka_status DONE not shown")
        }

        // The latest migration: day 2, complete, its in-tables stage by stage.
        let migration = try #require(page.section("migration"), "no #migration section")
        #expect(migration.contains("data-state=\"ok\""), "migration failed: \(DashboardDOM.failure(in: migration))")
        #expect(migration.contains("id=\"migration-status\" data-status=\"COMPLETE\""),
                "the latest migration is not shown COMPLETE: \(DashboardDOM.text(of: migration).prefix(600))")
        #expect(migration.contains(Self.days[1]), "the latest migration is not day 2's")
        var rows: [String: String] = [:]
        for table in Self.inTables {
            rows[table] = DashboardDOM.element("tr", with: "data-table=\"\(table)\"", in: migration)
            #expect(rows[table] != nil, "no progress row for \(table): \(DashboardDOM.text(of: migration).prefix(1500))")
        }
        // Day 2 streams D-REGION, five persons (one without externalId), no group, C-1002.
        let streamed = ["in_department": 1, "in_person": 5, "in_person_group": 0, "in_contract": 1]
        for (table, count) in streamed {
            guard let row = rows[table] else { continue }
            #expect(DashboardDOM.attribute("data-stream-status", in: row) == "STREAMED", "\(table) not STREAMED")
            #expect(DashboardDOM.attribute("data-rows-streamed", in: row) == "\(count)", "\(table) streamed")
        }
        if let company = rows["in_company"] {
            #expect(DashboardDOM.attribute("data-stream-status", in: company) == "REFUSED", "in_company is not REFUSED")
        }
        if let person = rows["in_person"] {
            // P-001 unchanged, P-003 updated, P-005 removed, P-102 merged into P-002, one rejected.
            #expect(DashboardDOM.attribute("data-consumed", in: person) == "5", "in_person consumed")
            for (stat, value) in ["unchanged": 1, "updated": 1, "removed": 1, "merged": 1, "rejected": 1, "created": 0] {
                #expect(DashboardDOM.stat(stat, in: person) == value, "in_person \(stat)")
            }
        }
        if let department = rows["in_department"] {
            #expect(DashboardDOM.stat("created", in: department) == 1, "in_department created (D-REGION)")
        }
        let markers = try #require(DashboardDOM.element("dd", with: "id=\"markers\"", in: migration), "no markers")
        let seen = DashboardDOM.attribute("data-markers-seen", in: markers)
        let expected = DashboardDOM.attribute("data-markers-expected", in: markers)
        #expect(seen != nil && seen == expected, "markers seen \(seen ?? "-") of expected \(expected ?? "-")")

        // Lag: judged OK, nothing left on IN_MIGRATION for group in_migration.
        let lag = try #require(page.section("lag"), "no #lag section")
        #expect(lag.contains("data-state=\"ok\""), "lag failed: \(DashboardDOM.failure(in: lag))")
        let overall = DashboardDOM.element("div", with: "id=\"lag-status\"", in: lag) ?? ""
        #expect(DashboardDOM.attribute("data-status", in: overall) == "OK", "lag status: \(DashboardDOM.text(of: lag).prefix(600))")
        #expect(DashboardDOM.attribute("data-total", in: overall) == "0", "total lag")
        let group = try #require(
            DashboardDOM.element("div", with: "data-group=\"in_migration\"", in: lag), "group in_migration not shown")
        #expect(DashboardDOM.attribute("data-topic", in: group) == "IN_MIGRATION")
        #expect(DashboardDOM.attribute("data-lag", in: group) == "0")
        #expect(lag.contains("class=\"partition-row\""), "no partition of IN_MIGRATION shown")

        // The chart: an SVG with at least one line.
        let chart = try #require(page.section("lag-chart"), "no #lag-chart section")
        #expect(chart.contains("<svg"), "no chart: \(DashboardDOM.text(of: chart).prefix(400))")
        #expect(chart.contains("<polyline"), "the chart has no line")

        // Errors: the refused company and the person without externalId, with their reasons.
        let errors = try #require(page.section("errors"), "no #errors section")
        #expect(errors.contains("data-state=\"ok\""), "errors failed: \(DashboardDOM.failure(in: errors))")
        let company = DashboardDOM.element("tr", with: "data-external-id=\"CO-2\"", in: errors)
        #expect(company?.contains("data-table=\"in_company\"") == true, "CO-2 not listed: \(DashboardDOM.text(of: errors))")
        #expect(company.map(DashboardDOM.text(of:))?.contains("not migrated") == true, "CO-2's reason")
        let person = DashboardDOM.elements("tr", with: "data-table=\"in_person\"", in: errors)
            .first { DashboardDOM.text(of: $0).contains("no externalId") }
        #expect(person != nil, "the person without externalId is not listed: \(DashboardDOM.text(of: errors))")

        // Dangling references: the reference check ran and nothing dangles (D-OPS got D-REGION).
        let dangling = try #require(page.section("dangling"), "no #dangling section")
        #expect(dangling.contains("data-state=\"ok\""), "dangling failed: \(DashboardDOM.failure(in: dangling))")
        #expect(dangling.contains("data-count=\"0\""), "dangling: \(DashboardDOM.text(of: dangling))")
    }

    /// Waits for `dashboard: URL` on the demo's stderr.
    private static func dashboardURL(of demo: CLIProcess.Running, deadline: ContinuousClock.Instant) async throws
        -> String
    {
        while ContinuousClock.now < deadline {
            let errors = demo.errors()
            if let line = errors.split(separator: "\n").first(where: { $0.hasPrefix("dashboard: ") }) {
                return String(line.dropFirst("dashboard: ".count)).trimmingCharacters(in: .whitespaces)
            }
            if !demo.process.isRunning {
                Issue.record(
                    "demo --serve exited (\(demo.process.terminationStatus)) before serving: \(errors.suffix(3000))\n\(demo.output().suffix(2000))"
                )
                throw DashboardTestFailure()
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("demo --serve printed no `dashboard: URL` line in time: \(demo.errors().suffix(3000))")
        throw DashboardTestFailure()
    }

    /// SIGTERM, then SIGKILL if it has not exited after 20 s. Returns the exit status.
    private static func stop(_ demo: CLIProcess.Running) -> Int32? {
        guard demo.process.isRunning else { return demo.process.terminationStatus }
        demo.process.terminate()
        let deadline = Date().addingTimeInterval(20)
        while demo.process.isRunning && Date() < deadline { usleep(100_000) }
        if demo.process.isRunning {
            kill(demo.process.processIdentifier, SIGKILL)
            demo.process.waitUntilExit()
            return nil
        }
        return demo.process.terminationStatus
    }
}

struct DashboardTestFailure: Error {}
