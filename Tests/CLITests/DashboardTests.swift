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
        let database = try await TestDatabase.create()
        do {
            try await check(with: chromium, database: database)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    private func check(with chromium: Chromium, database: TestDatabase) async throws {
        let port = try FreePort.find()
        let demo = try CLIProcess.start(
            ["demo", "--config", TestConfiguration.exampleFile, "--serve"],
            environment: [
                "INMIGRATION_SOURCE_URL": database.url, "INMIGRATION_STORE_URL": database.url,
                "INMIGRATION_HTTP_PORT": "\(port)",
            ])
        var stoppedCleanly = false
        defer { if !stoppedCleanly { _ = Self.stop(demo) } }

        let url = try await Self.dashboardURL(of: demo, deadline: .now + .seconds(180))
        #expect(url == "http://127.0.0.1:\(port)/")

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

/// Headless Chromium, run as root in a container: no sandbox, no GPU, its own throwaway profile.
struct Chromium {
    let executable: String

    static func find() -> Chromium? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/lib/chromium"]
        for name in ["chromium", "chromium-browser"] {
            for directory in directories {
                let candidate = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return Chromium(executable: candidate) }
            }
        }
        return nil
    }

    /// The DOM after the page's script has run for a few (virtual) seconds.
    func dumpDOM(_ url: String) async throws -> String {
        let output = try await run(["--dump-dom", url])
        return output
    }

    func screenshot(_ url: String, to file: URL) async throws {
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: file)
        _ = try await run(["--screenshot=\(file.path)", "--window-size=1400,1800", "--hide-scrollbars", url])
    }

    private func run(_ arguments: [String]) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout")
        let err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            // Run the page's timers and fetches for 5 virtual seconds (two refreshes) before
            // taking the DOM or the picture; virtual time waits while requests are in flight.
            "--virtual-time-budget=5000",
        ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("Chromium did not finish within 60 s: \(arguments)")
            throw DashboardTestFailure()
        }
        let errors = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            Issue.record("Chromium exited \(process.terminationStatus): \(errors.suffix(3000))")
            throw DashboardTestFailure()
        }
        return (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    }
}

/// The DOM Chromium dumped, read with a few plain string searches (the page marks what a test
/// needs with stable ids and data- attributes).
struct DashboardDOM {
    let html: String

    var isLoaded: Bool { html.contains("<body data-loaded=\"true\"") }

    /// Loaded, and the parts that arrive after the demo's summary are there.
    var hasSettled: Bool {
        guard isLoaded, let lag = section("lag"), let tracking = section("tracking"),
            let migration = section("migration")
        else { return false }
        return lag.contains("id=\"lag-status\" data-status=\"OK\"")
            && DashboardTests.days.allSatisfy { day in
                Self.element("tr", with: "data-oper-date=\"\(day)\"", in: tracking)?.contains("data-safe=\"yes\"") == true
            }
            && migration.contains("data-status=\"COMPLETE\"")
    }

    /// `<section id="…">…</section>` (the page's sections do not nest).
    func section(_ id: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\"") else { return nil }
        guard let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The first element `<tag …marker…>…</tag>` (the elements searched for do not nest in themselves).
    static func element(_ tag: String, with marker: String, in text: String) -> String? {
        elements(tag, with: marker, in: text).first
    }

    static func elements(_ tag: String, with marker: String, in text: String) -> [String] {
        var found: [String] = []
        var searchFrom = text.startIndex
        while let open = text.range(of: "<\(tag) ", range: searchFrom..<text.endIndex) {
            guard let tagEnd = text.range(of: ">", range: open.upperBound..<text.endIndex) else { break }
            let close = text.range(of: "</\(tag)>", range: tagEnd.upperBound..<text.endIndex)
            let end = close?.upperBound ?? tagEnd.upperBound
            if text[open.lowerBound..<tagEnd.upperBound].contains(marker) {
                found.append(String(text[open.lowerBound..<end]))
            }
            searchFrom = tagEnd.upperBound
        }
        return found
    }

    /// The value of an attribute of the element's opening tag.
    static func attribute(_ name: String, in element: String) -> String? {
        guard let tagEnd = element.firstIndex(of: ">") else { return nil }
        let tag = element[..<tagEnd]
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(tag[start.upperBound..<end])
    }

    /// A consume count of a progress row: `<td … data-stat="NAME">N</td>`.
    static func stat(_ name: String, in row: String) -> Int? {
        guard let start = row.range(of: "data-stat=\"\(name)\">") else { return nil }
        guard let end = row[start.upperBound...].firstIndex(of: "<") else { return nil }
        return Int(row[start.upperBound..<end].replacingOccurrences(of: ",", with: ""))
    }

    /// What a reader sees: the text without tags.
    static func text(of html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; text.append(" "); continue }
            if character == ">" { inTag = false; continue }
            if !inTag { text.append(character) }
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
    }

    /// The failure message a section shows, if any.
    static func failure(in section: String) -> String {
        element("p", with: "class=\"failure", in: section).map(text(of:)) ?? "(no message)"
    }
}

/// A TCP port nobody listens on right now, for the demo's HTTP server.
enum FreePort {
    static func find() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestSupportError("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw TestSupportError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
