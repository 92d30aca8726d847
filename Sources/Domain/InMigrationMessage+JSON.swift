/// Why a message of `IN_MIGRATION` is not one of ours.
public struct MessageFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault, dotted for nested ones (`row`, `children.phones`); `nil` for the
    /// message as a whole.
    public var field: String?
    public var reason: String

    public init(field: String?, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}

extension InMigrationMessage {
    /// Reads a message from its parsed JSON (see ``JSONParser``): the same fields and checks as
    /// the `Decodable` conformance, without `JSONDecoder`, which the consumer cannot afford per
    /// message. Unknown fields are ignored.
    /// - Throws: ``MessageFormatError`` naming the first field that is missing or wrong.
    public init(json: JSONValue) throws(MessageFormatError) {
        guard case .object(let object) = json else {
            throw MessageFormatError(field: nil, reason: "expected a JSON object, found \(json.kindName)")
        }
        try self.init(members: object.map { ($0.key, $0.value) })
    }

    /// Reads a message from the members of its top-level object, as ``JSONParser/parseMembers(_:)``
    /// returns them; see ``init(json:)``. A name given twice counts as given last.
    public init(members: [(name: String, value: JSONValue)]) throws(MessageFormatError) {
        let fields = MessageFields(members: members)
        switch try fields.string("kind") {
        case Kind.record.rawValue:
            self = .record(
                RecordMessage(
                    migrationId: MigrationID(rawValue: try fields.string("migrationId")),
                    operDate: try fields.operDate("operDate"), bo: BOCode(try fields.string("bo")),
                    table: try fields.string("table"), externalId: try fields.optionalString("externalId"),
                    row: try fields.object("row"), children: try fields.children("children")))
        case Kind.refCheck.rawValue:
            self = .refCheck(
                RefCheckMarker(
                    migrationId: MigrationID(rawValue: try fields.string("migrationId")),
                    operDate: try fields.operDate("operDate"), partition: try fields.integer("partition"),
                    partitions: try fields.integer("partitions"), records: try fields.integer("records")))
        case let other:
            throw MessageFormatError(field: "kind", reason: "unknown kind '\(other)'")
        }
    }
}

/// The top-level fields of a message, read with the reason why one does not fit. An envelope has
/// eight of them, each read once: comparing names costs less than hashing them into a dictionary.
private struct MessageFields {
    let members: [(name: String, value: JSONValue)]

    private subscript(_ name: String) -> JSONValue? {
        members.last { $0.name.isSame(as: name) }?.value
    }

    func string(_ key: String) throws(MessageFormatError) -> String {
        guard let value = self[key] else { throw missing(key) }
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", found: value) }
        return try storable(key, text)
    }

    /// Absent or null is `nil`, as `decodeIfPresent` reads it.
    func optionalString(_ key: String) throws(MessageFormatError) -> String? {
        switch self[key] ?? .null {
        case .null: return nil
        case .string(let text): return try storable(key, text)
        case let value: throw wrongType(key, expected: "a string", found: value)
        }
    }

    func operDate(_ key: String) throws(MessageFormatError) -> OperDate {
        let text = try string(key)
        guard let date = OperDate(rawValue: text) else {
            throw MessageFormatError(field: key, reason: "'\(text)' is not a date written YYYY-MM-DD")
        }
        return date
    }

    func object(_ key: String) throws(MessageFormatError) -> JSONObject {
        guard let value = self[key] else { throw missing(key) }
        guard case .object(let fields) = value else { throw wrongType(key, expected: "an object", found: value) }
        return fields
    }

    /// Child rows by field: absent or null is `nil`; otherwise every member is an array.
    func children(_ key: String) throws(MessageFormatError) -> ChildRows? {
        switch self[key] ?? .null {
        case .null: return nil
        case .object(let fields):
            switch ChildRows.checking(fields) {
            case .success(let rows): return rows
            case .failure(let notRows):
                throw wrongType("\(key).\(notRows.field)", expected: "an array", found: notRows.found)
            }
        case let value: throw wrongType(key, expected: "an object", found: value)
        }
    }

    /// A whole number that fits `T`.
    func integer<T: FixedWidthInteger>(_ key: String) throws(MessageFormatError) -> T {
        guard let value = self[key] else { throw missing(key) }
        guard case .number(let number) = value else { throw wrongType(key, expected: "a number", found: value) }
        guard let integer = number.exactly(T.self) else {
            throw MessageFormatError(field: key, reason: "\(number) is not a whole number that fits \(T.self)")
        }
        return integer
    }

    /// The envelope's texts name the record in the journal and in the counters, whose store
    /// cannot hold U+0000.
    private func storable(_ key: String, _ text: String) throws(MessageFormatError) -> String {
        guard !text.containsNUL else {
            throw MessageFormatError(field: key, reason: "contains the character U+0000")
        }
        return text
    }

    private func missing(_ key: String) -> MessageFormatError {
        MessageFormatError(field: key, reason: "missing field '\(key)'")
    }

    private func wrongType(_ key: String, expected: String, found: JSONValue) -> MessageFormatError {
        MessageFormatError(field: key, reason: "wrong type: expected \(expected), found \(found.kindName)")
    }
}
