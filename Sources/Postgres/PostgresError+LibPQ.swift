import CLibPQ

extension PostgresError {
    /// Copies the diagnostic fields out of an error result. The caller still owns and clears it.
    init(
        code: Code,
        result: OpaquePointer,
        connection: OpaquePointer,
        file: String = #fileID,
        line: Int = #line
    ) {
        let primary = Self.field(result, DiagnosticField.messagePrimary)
        let message = primary ?? Self.trimmed(PQresultErrorMessage(result)) ?? Self.connectionMessage(connection)
        self.init(
            code: code,
            message: message,
            sqlState: Self.field(result, DiagnosticField.sqlState),
            detail: Self.field(result, DiagnosticField.messageDetail),
            hint: Self.field(result, DiagnosticField.messageHint),
            table: Self.field(result, DiagnosticField.tableName),
            constraint: Self.field(result, DiagnosticField.constraintName),
            file: file,
            line: line
        )
    }

    /// An error from the connection's last message, for calls that return no result.
    /// A broken connection is reported as `connectionFailed` whatever `code` says.
    init(
        code: Code,
        connection: OpaquePointer,
        context: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        let effective = PQstatus(connection) == CONNECTION_OK ? code : .connectionFailed
        var message = Self.connectionMessage(connection)
        if let context { message = "\(context): \(message)" }
        self.init(code: effective, message: message, file: file, line: line)
    }

    static func connectionMessage(_ connection: OpaquePointer) -> String {
        trimmed(PQerrorMessage(connection)) ?? "unknown libpq error"
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let value = PQresultErrorField(result, code) else { return nil }
        return String(cString: value)
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else { return nil }
        let string = String(cString: text)
        let trimmed = string.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}
