/// One instance of a business object, as the store keeps it.
///
/// The document maps field names to values: plain fields as the in-table gave them, BO fields as
/// the target's boiId (an array of them for many-valued fields; `null` where a target has not
/// arrived yet), CO fields as the catalog entry's id, child rows as arrays of objects.
public struct BOIInstance: Hashable, Codable, Sendable {
    public var boiId: BoiID
    public var bo: BOCode
    /// The externalId of the record that created it.
    public var externalId: String
    public var document: JSONObject
    /// `false` once a record said `removed = true`.
    public var actual: Bool
    /// Incremented by every published change; events carry it, so downstream can order them.
    public var version: Int64

    public init(
        boiId: BoiID, bo: BOCode, externalId: String, document: JSONObject = [:], actual: Bool = true,
        version: Int64 = 0
    ) {
        self.boiId = boiId
        self.bo = bo
        self.externalId = externalId
        self.document = document
        self.actual = actual
        self.version = version
    }

    /// The values of a unique key's fields, or `nil` when any of them is missing or null (a
    /// partial key identifies nothing).
    public func uniqueValues(_ fields: [String]) -> [String]? {
        var values: [String] = []
        for field in fields {
            guard let value = document[field], let text = value.keyText else { return nil }
            values.append(text)
        }
        return values
    }
}

extension JSONValue {
    /// The value as unique-key text: strings as they are, numbers as the in-table gave them
    /// (PostgreSQL's `document->>'field'` prints a number the same way), booleans as JSON
    /// prints them; `nil` for null, arrays and objects.
    public var keyText: String? {
        switch self {
        case .string(let text): return text
        case .number(let number): return number.text
        case .bool(let bool): return bool ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }
}
