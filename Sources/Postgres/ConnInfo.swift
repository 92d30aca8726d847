import CLibPQ

/// What this module may say about a conninfo string: a password-free target for logs, and
/// the secrets to scrub from any libpq message before it reaches an error or a log line.
struct ConnInfo: Sendable {
    /// `user@host:port/dbname`, without the password.
    let target: String
    /// Password values (as written and percent-decoded) that must never be shown.
    let secrets: [String]
    /// libpq's complaint when the string does not parse, already scrubbed.
    let parseError: String?

    init(_ conninfo: String) {
        var secrets = Self.guessedPasswords(in: conninfo)
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let raw = PostgresError.trimmed(errorMessage) ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            self.secrets = secrets
            self.parseError = Self.scrub(raw, secrets: secrets)
            self.target = "(unparsable conninfo)"
            return
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        if let password = values["password"], !password.isEmpty {
            secrets.append(password)
        }
        self.secrets = secrets
        self.parseError = nil
        let user = values["user"].map { "\($0)@" } ?? ""
        let host = values["host"] ?? values["hostaddr"] ?? "(default host)"
        let port = values["port"].map { ":\($0)" } ?? ""
        let database = values["dbname"].map { "/\($0)" } ?? ""
        self.target = Self.scrub("\(user)\(host)\(port)\(database)", secrets: secrets)
    }

    /// Replaces every known secret in `text` by `***`.
    func scrub(_ text: String) -> String {
        Self.scrub(text, secrets: secrets)
    }

    private static func scrub(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            text = text.replacing(secret, with: "***")
        }
        return text
    }

    /// Finds passwords by shape alone, for strings libpq cannot parse: the `user:password@`
    /// part of a URL, `password=` in a URL query, and a `password=` keyword.
    private static func guessedPasswords(in conninfo: String) -> [String] {
        var found: [String] = []
        if let schemeEnd = conninfo.firstRange(of: "://") {
            let rest = conninfo[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        var searchStart = conninfo.startIndex
        while let key = conninfo[searchStart...].firstRange(of: "password") {
            var cursor = key.upperBound
            while cursor < conninfo.endIndex, conninfo[cursor] == " " { cursor = conninfo.index(after: cursor) }
            guard cursor < conninfo.endIndex, conninfo[cursor] == "=" else {
                searchStart = key.upperBound
                continue
            }
            cursor = conninfo.index(after: cursor)
            while cursor < conninfo.endIndex, conninfo[cursor] == " " { cursor = conninfo.index(after: cursor) }
            var valueStart = cursor
            if cursor < conninfo.endIndex, conninfo[cursor] == "'" { valueStart = conninfo.index(after: cursor) }
            let valueEnd = conninfo[valueStart...].firstIndex { $0 == " " || $0 == "&" || $0 == "'" } ?? conninfo.endIndex
            found.append(String(conninfo[valueStart..<valueEnd]))
            searchStart = valueEnd
        }
        let decoded = found.compactMap(percentDecoded)
        return (found + decoded).filter { !$0.isEmpty }
    }

    private static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return nil }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next(), let low = utf8.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
