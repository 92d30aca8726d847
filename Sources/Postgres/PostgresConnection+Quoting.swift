extension PostgresConnection {
    /// Quotes a name for use as an SQL identifier: `"` around it, inner `"` doubled.
    ///
    /// For table and column names that come from configuration or the catalogue, which
    /// cannot be bound as parameters. The result is case-sensitive, exactly `name`. A NUL
    /// character is refused later by ``execute(_:_:)``, so it cannot cut the SQL short.
    public static func quoteIdentifier(_ name: String) -> String {
        var quoted = "\""
        quoted.reserveCapacity(name.utf8.count + 2)
        for character in name.unicodeScalars {
            if character == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(character)
        }
        quoted.unicodeScalars.append("\"")
        return quoted
    }

    /// Quotes text as an SQL string literal: `'` around it, inner `'` doubled; text with a
    /// backslash becomes an escape string `E'…'` with the backslashes doubled too.
    ///
    /// Only for statements that cannot take parameters, such as `COPY (query) TO STDOUT`.
    /// The result means the same whatever `standard_conforming_strings` is set to: plain
    /// literals have no backslash, and `E''` literals always treat backslash as escape.
    public static func quoteLiteral(_ text: String) -> String {
        let hasBackslash = text.unicodeScalars.contains("\\")
        var quoted = hasBackslash ? "E'" : "'"
        quoted.reserveCapacity(text.utf8.count + 3)
        for character in text.unicodeScalars {
            if character == "'" || character == "\\" { quoted.unicodeScalars.append(character) }
            quoted.unicodeScalars.append(character)
        }
        quoted.unicodeScalars.append("'")
        return quoted
    }
}
