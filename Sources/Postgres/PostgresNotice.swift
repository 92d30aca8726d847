import CLibPQ

/// A notice or warning the server sent alongside a result (`RAISE NOTICE`, "there is no
/// transaction in progress", …). Collected per connection so they can be logged, instead of
/// libpq printing them to standard error.
public struct PostgresNotice: Sendable, CustomStringConvertible {
    /// `NOTICE`, `WARNING`, `INFO`, `LOG` or `DEBUG` (not localised).
    public var severity: String
    public var sqlState: String?
    public var message: String

    public var description: String {
        "\(severity): \(message)"
    }
}

/// Receives notices from libpq's notice callback. The callback runs synchronously inside a
/// libpq call on the thread that is using the connection, so like the connection itself this
/// buffer is only ever touched by one thread at a time.
final class NoticeBuffer {
    /// Bounded, so a chatty server cannot grow memory when nobody takes the notices.
    private static let limit = 100
    private var notices: [PostgresNotice] = []

    func append(result: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let notice = PostgresNotice(
            severity: field(DiagnosticField.severityNonLocalized) ?? field(DiagnosticField.severity) ?? "NOTICE",
            sqlState: field(DiagnosticField.sqlState),
            message: field(DiagnosticField.messagePrimary) ?? PostgresError.trimmed(PQresultErrorMessage(result)) ?? ""
        )
        if notices.count >= Self.limit {
            notices.removeFirst()
        }
        notices.append(notice)
    }

    func take() -> [PostgresNotice] {
        defer { notices.removeAll() }
        return notices
    }
}
