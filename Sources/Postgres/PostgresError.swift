/// Every failure of this module, as one type.
///
/// Callers branch on ``code`` (what we were doing) and on ``sqlState`` (what the server said,
/// e.g. `"23505"` for a unique violation), so that the layers above never parse message text.
/// ``description`` is safe to log: it never contains the password of a conninfo.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What this module was doing when it failed.
    public var code: Code
    /// The five-character SQLSTATE the server reported, nil for client-side failures.
    public var sqlState: String?
    /// The primary, human-readable message.
    public var message: String
    /// The server's optional detail line (e.g. which key already exists).
    public var detail: String?
    /// The server's optional hint.
    public var hint: String?
    /// The table the error is about, where the server names one.
    public var table: String?
    /// The violated constraint's name (`PG_DIAG_CONSTRAINT_NAME`), where the server names one.
    public var constraint: String?
    /// Where in this module the error was raised.
    public var file: String
    public var line: Int

    /// True for `unique_violation` (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public init(
        code: Code,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        table: String? = nil,
        constraint: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.table = table
        self.constraint = constraint
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "PostgresError.\(code): \(message)"
        var extras: [String] = []
        if let sqlState { extras.append("SQLSTATE \(sqlState)") }
        if let constraint { extras.append("constraint \(constraint)") }
        if let table { extras.append("table \(table)") }
        if !extras.isEmpty { text += " (\(extras.joined(separator: ", ")))" }
        if let detail { text += " DETAIL: \(detail)" }
        if let hint { text += " HINT: \(hint)" }
        return text + " [\(file):\(line)]"
    }
}

extension PostgresError {
    /// A closed set of failure kinds, open to additions without breaking `switch`es.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case connectionFailed
            case queryFailed
            case copyFailed
            case transactionAborted
            case invalidArgument
            case clientClosed
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// Connecting, resetting, or a connection that broke during a call.
        public static let connectionFailed = Code(.connectionFailed)
        /// A statement run by `execute` failed (see `sqlState`).
        public static let queryFailed = Code(.queryFailed)
        /// A `COPY` failed: on the server, on the wire, or in malformed binary data.
        public static let copyFailed = Code(.copyFailed)
        /// `COMMIT` rolled back, because an error inside the transaction was caught and swallowed.
        public static let transactionAborted = Code(.transactionAborted)
        /// Input that cannot be sent, such as a NUL character in SQL or a parameter.
        public static let invalidArgument = Code(.invalidArgument)
        /// `PostgresClient.close()` was called before this call.
        public static let clientClosed = Code(.clientClosed)

        public var description: String { backing.rawValue }
    }
}
