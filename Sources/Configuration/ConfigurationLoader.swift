import Foundation
import Yams

/// Reads the configuration: YAML file, then environment overrides, then validation, so that the
/// service starts only with a configuration that is complete and consistent.
///
/// Every failure is one ``ConfigurationError`` naming the file, the key and the problem; the
/// first problem stops the load.
public enum ConfigurationLoader {
    /// Loads the configuration file at `path`.
    ///
    /// - Parameters:
    ///   - path: The YAML file; named as given in every error.
    ///   - environment: Where overrides are read (`INMIGRATION_*`), the process's by default.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or the configuration is not valid.
    public static func load(
        file path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> InMigrationConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "is not readable UTF-8 text" : "does not exist"
            throw ConfigurationError(file: path, key: "", problem: "cannot read the configuration: the file \(reason)")
        }
        return try load(yaml: text, file: path, environment: environment)
    }

    /// Loads a configuration from YAML text.
    ///
    /// - Parameters:
    ///   - yaml: The configuration, as the file would hold it.
    ///   - file: The name used in errors and kept in ``InMigrationConfiguration/file``.
    ///   - environment: Where overrides are read; none by default, so tests see only the text.
    /// - Throws: ``ConfigurationError`` when the configuration is not valid.
    public static func load(
        yaml: String, file: String = "<memory>", environment: [String: String] = [:]
    ) throws(ConfigurationError) -> InMigrationConfiguration {
        guard let root = try parse(yaml, file: file) else {
            throw ConfigurationError(
                file: file, key: "", problem: "the configuration is empty; see config/inmigration.example.yaml")
        }
        var configuration = try ConfigurationDecoding.configuration(from: YAMLValue(node: root, path: "", file: file))
        let overridden = try EnvironmentOverrides.apply(environment, to: &configuration)
        do {
            try ConfigurationValidator.validate(configuration)
        } catch {
            guard let variable = overridden[error.key] else { throw error }
            throw ConfigurationError(file: error.file, key: variable, problem: error.problem)
        }
        return configuration
    }

    /// The YAML tree, or `nil` for a document with nothing in it.
    static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> Node? {
        do {
            return try compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ConfigurationError(file: file, key: "", problem: "not valid YAML")
        }
    }

    /// Position and problem only: Yams's own description quotes the offending line, which may
    /// hold a password.
    static func syntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        func at(_ mark: Mark) -> String { "line \(mark.line), column \(mark.column)" }
        func phrase(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> ConfigurationError {
            let during = context.map { " (\($0.text) at \(at($0.mark)))" } ?? ""
            return ConfigurationError(file: file, key: at(mark), problem: "YAML syntax: \(problem)\(during)")
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return phrase(context, problem, mark)
        case let .reader(problem, offset, _, _):
            return ConfigurationError(
                file: file, key: offset.map { "byte \($0)" } ?? "", problem: "YAML syntax: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ConfigurationError(
                file: file, key: at(context.mark),
                problem: "a mapping repeats the key \(names); each key may appear once")
        default:
            return ConfigurationError(file: file, key: "", problem: "YAML syntax: the text cannot be parsed")
        }
    }
}
