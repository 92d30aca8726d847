/// A change of one instance, published on topic `BOI` with key = boiId.
///
/// `eventId` is `<boiId>:<version>`: the same change always has the same id, so a consumer that
/// sees an event twice (at-least-once delivery) can tell it is a repeat.
public struct BOIEvent: Hashable, Codable, Sendable {
    public var eventId: String
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
        instance: BOIInstance, isCreate: Bool, changes: JSONObject, migrationId: MigrationID,
        operDate: OperDate
    ) {
        self.eventId = "\(instance.boiId.rawValue):\(instance.version)"
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
}
