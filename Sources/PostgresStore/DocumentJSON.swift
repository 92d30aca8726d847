import Domain

/// Instance documents as the JSON text `jsonb` travels in, both ways.
///
/// With ``JSONParser`` rather than `JSONDecoder`: a batch that resolves references loads
/// thousands of documents, and `JSONDecoder` would cost more than the query.
enum DocumentJSON {
    /// A document as JSON text, for a `jsonb[]` parameter. Keys in the dictionary's order:
    /// `jsonb` keeps its own.
    static func encode(_ document: [String: JSONValue]) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(512)
        JSONText.appendObject(document, to: &json)
        return json
    }

    /// - Throws: ``PostgresStoreError`` `.corruptRow` when `text` is not a JSON object.
    static func decode(_ text: String) throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw PostgresStoreError(code: .corruptRow, message: "a stored document is not JSON: \(error)")
        }
        guard case .object(let document) = value else {
            throw PostgresStoreError(code: .corruptRow, message: "a stored document is not a JSON object")
        }
        return document
    }
}
