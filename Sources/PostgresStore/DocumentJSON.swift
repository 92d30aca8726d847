import Domain

/// Reads instance documents from the JSON text `jsonb` results travel in; they are written with
/// ``JSONText/appendObject(_:to:sortingKeys:)``.
///
/// With ``JSONParser`` rather than `JSONDecoder`: a batch that resolves references loads
/// thousands of documents, and `JSONDecoder` would cost more than the query.
enum DocumentJSON {
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
