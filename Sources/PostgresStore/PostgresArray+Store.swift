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

}
