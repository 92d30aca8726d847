import Domain

/// Instance documents as the JSON text `jsonb` travels in, both ways.
///
/// With ``JSONParser`` rather than `JSONDecoder`: a batch that resolves references loads
/// thousands of documents, and `JSONDecoder` would cost more than the query.
enum DocumentJSON {
    /// A document as JSON text, for a `jsonb[]` parameter.
    static func encode(_ document: JSONObject) -> [UInt8] {
        JSONText.object(document)
    }

    /// - Throws: ``PostgresStoreError`` `.corruptRow` when `text` is not a JSON object.
    static func decode(_ text: String) throws -> JSONObject {
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
