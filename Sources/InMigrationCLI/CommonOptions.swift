import ArgumentParser
import Config
import Foundation
import Logging

/// Options every command that talks to the databases and the broker takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file (YAML).")
    var config: String = "inmigration.yaml"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Loads the configuration; a bad file stops the command with its one-line message.
    func loadConfiguration() throws -> InMigrationConfiguration {
        do {
            return try ConfigurationLoader.load(file: config)
        } catch {
            throw CommandFailure(message: error.description, exitCode: 2)
        }
    }

    func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// A failure that ends the command with a message and an exit status, not a stack of errors.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 1
    var description: String { message }
}

/// Runs a command body; prints a ``CommandFailure`` or any other error on stderr and exits non-zero.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CommandFailure {
        FileHandle.standardError.write(Data("inmigration: \(failure.message)\n".utf8))
        throw ExitCode(failure.exitCode)
    } catch let error as ConfigurationError {
        FileHandle.standardError.write(Data("inmigration: \(error.description)\n".utf8))
        throw ExitCode(2)
    } catch is ExitCode {
        throw ExitCode.failure
    } catch {
        FileHandle.standardError.write(Data("inmigration: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
