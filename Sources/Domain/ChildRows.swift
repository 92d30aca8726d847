/// A record's child rows, by the field of the child mapping they belong to.
///
/// Why not `[String: [JSONValue]]`: a record has a field or two of child rows, and building and
/// freeing a hash table for them cost the consumer more than reading the rest of the envelope.
/// This keeps the object the parser made, once every member of it was found to be an array.
public struct ChildRows: Sendable, Hashable {
    private let object: JSONObject

    /// `object` as it is, when every member of it is an array of rows; otherwise the first member
    /// (by name) that is not.
    static func checking(_ object: JSONObject) -> Result<ChildRows, NotRows> {
        for (field, value) in object {
            guard case .array = value else { return .failure(NotRows(field: field, found: value)) }
        }
        return .success(ChildRows(checked: object))
    }

    /// A member of a children object that is not an array.
    struct NotRows: Error {
        var field: String
        var found: JSONValue
    }

    private init(checked object: JSONObject) {
        self.object = object
    }

    /// The rows of `field`; `nil` when the record gave none.
    public subscript(field: String) -> [JSONValue]? {
        guard case .array(let rows)? = object[field] else { return nil }
        return rows
    }

    /// The fields, in name order.
    public var fields: [String] { object.keys }
}

extension ChildRows: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, [JSONValue])...) {
        self.init(checked: JSONObject(elements.map { ($0.0, JSONValue.array($0.1)) }))
    }
}

extension ChildRows: Codable {
    public init(from decoder: any Decoder) throws {
        let rows = try [String: [JSONValue]](from: decoder)
        self.init(checked: JSONObject(rows.map { ($0.key, JSONValue.array($0.value)) }))
    }

    public func encode(to encoder: any Encoder) throws {
        try object.encode(to: encoder)
    }
}
