/// A change of one instance, published on topic `BOI` with key = boiId.
///
/// `eventId` is `<boiId>:<version>`: the same change always has the same id, so a consumer that
/// sees an event twice (at-least-once delivery) can tell it is a repeat.
public struct BOIEvent: Hashable, Sendable {
    public var boiId: BoiID
    public var bo: BOCode
    public var externalId: String
    public var isCreate: Bool
    public var actual: Bool
    /// Only the fields that changed, with their new values.
    public var changes: JSONObject
    public var migrationId: MigrationID
    public var operDate: OperDate
    public var version: Int64

    public init(
        instance: borrowing BOIInstance, isCreate: Bool, changes: JSONObject, migrationId: MigrationID,
        operDate: OperDate
    ) {
        self.boiId = instance.boiId
        self.bo = instance.bo
        self.externalId = instance.externalId
        self.isCreate = isCreate
        self.actual = instance.actual
        self.changes = changes
        self.migrationId = migrationId
        self.operDate = operDate
        self.version = instance.version
    }

    /// Derived, not stored: building the text for every event cost about a thousand
    /// instructions, and ``json`` writes it from its two parts.
    public var eventId: String { "\(boiId.rawValue):\(version)" }
}

/// The members as ``BOIEvent/json`` writes them, `eventId` among them. Decoding checks that the
/// `eventId` given is the one the event's id and version make.
extension BOIEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case eventId, boiId, bo, externalId, isCreate, actual, changes, migrationId, operDate, version
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        boiId = try container.decode(BoiID.self, forKey: .boiId)
        bo = try container.decode(BOCode.self, forKey: .bo)
        externalId = try container.decode(String.self, forKey: .externalId)
        isCreate = try container.decode(Bool.self, forKey: .isCreate)
        actual = try container.decode(Bool.self, forKey: .actual)
        changes = try container.decode(JSONObject.self, forKey: .changes)
        migrationId = try container.decode(MigrationID.self, forKey: .migrationId)
        operDate = try container.decode(OperDate.self, forKey: .operDate)
        version = try container.decode(Int64.self, forKey: .version)
        let given = try container.decode(String.self, forKey: .eventId)
        guard given == eventId else {
            throw DecodingError.dataCorruptedError(
                forKey: .eventId, in: container, debugDescription: "eventId '\(given)' is not '\(eventId)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(boiId, forKey: .boiId)
        try container.encode(bo, forKey: .bo)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(isCreate, forKey: .isCreate)
        try container.encode(actual, forKey: .actual)
        try container.encode(changes, forKey: .changes)
        try container.encode(migrationId, forKey: .migrationId)
        try container.encode(operDate, forKey: .operDate)
        try container.encode(version, forKey: .version)
    }
}
