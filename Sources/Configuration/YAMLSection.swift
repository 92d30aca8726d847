import Yams

/// One value of the YAML tree together with its key path, so that every conversion can say
/// where it failed (`http.port: expected an integer, found 'eighty'`).
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    func error(_ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, key: path, problem: problem)
    }

    func typeError(expected: String) -> ConfigurationError {
        error("expected \(expected), found \(found)")
    }

    /// How the value looks, for "found …" in error messages.
    var found: String {
        switch node {
        case .scalar(let scalar):
            if isNull { return "nothing" }
            // Masked before shortening: a cut URL would no longer show where its password ends.
            let text = ConfigurationError.redacted(scalar.string)
            return "'" + (text.count > 60 ? String(text.prefix(57)) + "..." : text) + "'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// A plain `~`, `null` or empty value: treated as if the key were absent.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var isList: Bool {
        if case .sequence = node { return true }
        return false
    }

    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw typeError(expected: "a string") }
        return scalar.string
    }

    func int() throws(ConfigurationError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.trimmingWhitespace()) else {
            throw typeError(expected: "an integer")
        }
        return value
    }

    func bool() throws(ConfigurationError) -> Bool {
        guard case .scalar(let scalar) = node else { throw typeError(expected: "true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw typeError(expected: "true or false")
        }
    }

    func duration() throws(ConfigurationError) -> ConfigDuration {
        guard case .scalar(let scalar) = node, !isNull else { throw typeError(expected: "a duration") }
        guard let duration = ConfigDuration(scalar.string) else {
            throw error("'\(scalar.string)' is not a duration: \(ConfigDuration.expectedForm)")
        }
        return duration
    }

    func list() throws(ConfigurationError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw typeError(expected: "a list") }
        return sequence.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func strings() throws(ConfigurationError) -> [String] {
        var result: [String] = []
        for item in try list() { result.append(try item.string()) }
        return result
    }

    /// A mapping of free-form names to scalar values, e.g. librdkafka properties.
    func stringMap() throws(ConfigurationError) -> [String: String] {
        guard case .mapping(let mapping) = node else { throw typeError(expected: "a mapping") }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard case .scalar(let name) = key else { throw error("a key must be a name, found a list or mapping") }
            let item = YAMLValue(node: value, path: "\(path).\(name.string)", file: file)
            guard case .scalar(let scalar) = value, !item.isNull else { throw item.typeError(expected: "a string") }
            result[name.string] = scalar.string
        }
        return result
    }

    func section<Key>(_: Key.Type) throws(ConfigurationError) -> YAMLSection<Key> {
        try YAMLSection(self)
    }
}

/// A YAML mapping whose keys must all be cases of `Key`: an unknown key (a typo) is reported
/// with the known ones, before any value is read, so a misspelt setting never silently falls
/// back to its default.
struct YAMLSection<Key: RawRepresentable & CaseIterable> where Key.RawValue == String {
    let value: YAMLValue
    private var values: [String: Node] = [:]

    init(_ value: YAMLValue) throws(ConfigurationError) {
        let known = Key.allCases.map(\.rawValue)
        guard case .mapping(let mapping) = value.node else {
            throw value.typeError(expected: "a mapping with keys \(known.joined(separator: ", "))")
        }
        self.value = value
        for (keyNode, item) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw value.error("a key must be a name, found a list or mapping")
            }
            let name = scalar.string
            guard Key(rawValue: name) != nil else {
                throw ConfigurationError(
                    file: value.file, key: path(of: name),
                    problem: "unknown key (known: \(known.joined(separator: ", ")))")
            }
            values[name] = item
        }
    }

    func path(of key: String) -> String {
        value.path.isEmpty ? key : "\(value.path).\(key)"
    }

    func path(of key: Key) -> String { path(of: key.rawValue) }

    /// The value under `key`, or `nil` when the key is absent or its value is null.
    subscript(_ key: Key) -> YAMLValue? {
        guard let node = values[key.rawValue] else { return nil }
        let item = YAMLValue(node: node, path: path(of: key), file: value.file)
        return item.isNull ? nil : item
    }

    /// The error for a key that must be given.
    func missing(_ key: Key, hint: String = "") -> ConfigurationError {
        ConfigurationError(
            file: value.file, key: path(of: key), problem: "missing required key" + (hint.isEmpty ? "" : "; \(hint)"))
    }

    func required(_ key: Key) throws(ConfigurationError) -> YAMLValue {
        guard let item = self[key] else { throw missing(key) }
        return item
    }
}
