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

    /// `document` as JSON text, from `text`, the JSON text of its members that are not null
    /// (``JSONText/object(_:)`` of `document.removingNulls()`): the null members are added at
    /// its end. Out of key order, but `jsonb` orders an object's members itself, so the stored
    /// document is the same; copying the text costs a tenth of writing the members again.
    static func encode(_ document: JSONObject, withoutNulls text: ArraySlice<UInt8>) -> [UInt8] {
        precondition(text.first == UInt8(ascii: "{") && text.last == UInt8(ascii: "}"), "not the text of an object")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count + 32)
        bytes.append(contentsOf: text.dropLast())
        var empty = text.count == 2
        document.forEachNullMember { name in
            if !empty { bytes.append(UInt8(ascii: ",")) }
            empty = false
            JSONText.appendString(name.utf8, to: &bytes)
            bytes.append(contentsOf: ":null".utf8)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
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
