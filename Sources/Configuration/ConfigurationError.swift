/// Why a configuration could not be used: which file, which key, what is wrong with it.
///
/// The operator reads this at start-up and must be able to fix the file from this one line
/// alone, so it names the key as a path (`mapping.tables[2].references[0].target`, or
/// `line 4, column 3` for YAML syntax, or the environment variable that supplied the value).
/// It is also printed and logged, so the problem text is passed through ``redacted(_:)`` and never
/// carries a password from a connection string.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The configuration file, as it was named to the loader (`<memory>` for a string).
    public var file: String
    /// Where in the file (or which environment variable); empty when the problem is the whole file.
    public var key: String
    /// What is wrong, in plain English.
    public var problem: String

    public init(file: String, key: String, problem: String) {
        self.file = file
        self.key = key
        self.problem = ConfigurationError.redacted(problem)
    }

    /// `<file>: <key>: <problem>` on one line, with any password masked.
    public var description: String {
        let parts = key.isEmpty ? [file, problem] : [file, key, problem]
        let line = parts.joined(separator: ": ").map { $0.isNewline ? " " : $0 }
        return ConfigurationError.redacted(String(line))
    }
}

extension ConfigurationError {
    /// Masks secrets in text that may quote a configuration value: the password of a URL
    /// (`postgresql://user:secret@host` → `postgresql://user:***@host`) and the value of any
    /// `…password=…` / `…secret=…` pair of a libpq conninfo or librdkafka property list.
    public static func redacted(_ text: String) -> String {
        maskingKeyValueSecrets(in: maskingURLPasswords(in: text))
    }

    private static func maskingURLPasswords(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.firstRange(of: "://") {
            result += rest[..<scheme.upperBound]
            let afterScheme = rest[scheme.upperBound...]
            let authorityEnd =
                afterScheme.firstIndex(where: { "/?#'\"".contains($0) || $0.isWhitespace }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon]
                result += "***"
                result += authority[at...]
            } else {
                result += authority
            }
            rest = afterScheme[authorityEnd...]
        }
        return result + rest
    }

    private static func maskingKeyValueSecrets(in text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let name = text[index..<equals].reversed().drop { $0 == " " }
                .prefix { $0.isLetter || $0 == "." || $0 == "_" }
            let keyName = String(name.reversed()).lowercased()
            var valueStart = text.index(after: equals)
            result += text[index..<valueStart]
            guard keyName.contains("password") || keyName.contains("secret") else {
                index = valueStart
                continue
            }
            while valueStart < text.endIndex, text[valueStart] == " " { valueStart = text.index(after: valueStart) }
            var valueEnd = valueStart
            if valueStart < text.endIndex, text[valueStart] == "'" || text[valueStart] == "\"" {
                let quote = text[valueStart]
                let afterQuote = text.index(after: valueStart)
                valueEnd = text[afterQuote...].firstIndex(of: quote).map { text.index(after: $0) } ?? text.endIndex
            } else {
                valueEnd = text[valueStart...].firstIndex(where: { $0.isWhitespace || $0 == "," || $0 == "'" })
                    ?? text.endIndex
            }
            result += "***"
            index = valueEnd
        }
        return result + text[index...]
    }
}
