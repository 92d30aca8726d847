import Domain
import Postgres

extension PostgresArray {
    /// A document as JSON text, for a `jsonb[]` parameter, written straight into the literal.
    mutating func append(document: [String: JSONValue]) {
        var json: [UInt8] = []
        json.reserveCapacity(512)
        JSONText.appendObject(document, to: &json)
        append(utf8: json)
    }

    /// Bytes in `bytea`'s hex input form (`\x…`), for a `bytea[]` parameter; `nil` as NULL.
    mutating func append(bytea: [UInt8]?) {
        guard let bytea else { return append(nil as String?) }
        append(verbatim: { literal in
            // `"\\x…"`: the array literal escapes the backslash of bytea's `\x`.
            literal.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
            ByteaHex.appendDigits(of: bytea, to: &literal)
            literal.append(UInt8(ascii: "\""))
        })
    }
}
