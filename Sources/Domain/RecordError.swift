/// One error an operator must see: which migration, which record, which field, and why.
public struct RecordError: Sendable, Hashable, Codable {
    public enum Stage: String, Sendable, Codable {
        case stream
        case consume
    }

    public var migrationID: MigrationID
    public var stage: Stage
    public var table: String?
    public var externalID: String?
    public var field: String?
    public var reason: String
    /// The message as it was, when there is one.
    public var raw: String?

    public init(
        migrationID: MigrationID, stage: Stage, table: String?, externalID: String?, field: String?, reason: String,
        raw: String? = nil
    ) {
        self.migrationID = migrationID
        self.stage = stage
        self.table = table
        self.externalID = externalID
        self.field = field
        self.reason = reason
        self.raw = raw
    }

    /// What ``raw`` keeps of a refused message: its first 4 KiB as text (the dead-letter topic
    /// has all of it).
    public static func excerpt(_ message: some Collection<UInt8>) -> String {
        String(decoding: message.prefix(4096), as: UTF8.self)
    }
}
