/// Array parameters in PostgreSQL's text form, so that a whole batch travels in one parameter
/// (`unnest($1::text[])`) instead of one statement per row.
public enum PostgresArray {
    /// `{"a","b",NULL}`: each element quoted, `"` and `\` escaped, `nil` as NULL.
    public static func text(_ elements: [String?]) -> String {
        var out = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            guard let element else {
                out += "NULL"
                continue
            }
            out += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { out += "\\" }
                out.unicodeScalars.append(character)
            }
            out += "\""
        }
        return out + "}"
    }

    /// `{"a","b"}` for elements that are never NULL.
    public static func text(_ elements: [String]) -> String {
        text(elements.map(Optional.some))
    }
}
