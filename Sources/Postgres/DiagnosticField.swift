/// The field codes of `PQresultErrorField`. libpq defines them as character-literal macros
/// (`#define PG_DIAG_SQLSTATE 'C'`), which Swift does not import; these are the same
/// characters, fixed by the wire protocol's ErrorResponse fields.
enum DiagnosticField {
    static let severity = code("S")
    static let severityNonLocalized = code("V")
    static let sqlState = code("C")
    static let messagePrimary = code("M")
    static let messageDetail = code("D")
    static let messageHint = code("H")
    static let tableName = code("t")
    static let constraintName = code("n")

    private static func code(_ character: Unicode.Scalar) -> Int32 {
        Int32(character.value)
    }
}
