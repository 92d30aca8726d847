import Foundation
import Testing

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
