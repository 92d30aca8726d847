import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The built `inmigration` executable, run as an operator would run it.
struct CLIProcess {
    /// `.build/<config>/inmigration`, beside the test bundle.
    static var executable: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("inmigration") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs to completion; a process still running after `timeout` is killed, so a hung command
    /// fails its test instead of hanging the test run.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(300)
    ) throws -> Result {
        let running = try start(arguments, environment: environment)
        defer { running.removeFiles() }
        let deadline = ContinuousClock.now + timeout
        while running.process.isRunning && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if running.process.isRunning {
            kill(running.process.processIdentifier, SIGKILL)
            running.process.waitUntilExit()
            return Result(
                status: -1, stdout: running.output(),
                stderr: running.errors() + "\n(killed: still running after \(timeout))")
        }
        return Result(status: running.process.terminationStatus, stdout: running.output(), stderr: running.errors())
    }

    /// Starts in the background; the caller stops it and then calls ``Running/removeFiles()``.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("stdout")
        let err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Running(process: process, stdoutFile: out, stderrFile: err)
    }

    struct Running {
        let process: Process
        let stdoutFile: URL
        let stderrFile: URL

        func output() -> String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
        func errors() -> String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        /// Deletes the folder of captured output; a test run leaves nothing behind in the
        /// temporary directory.
        func removeFiles() { try? FileManager.default.removeItem(at: stdoutFile.deletingLastPathComponent()) }
    }
}
