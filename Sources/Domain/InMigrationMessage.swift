/// A message on topic `IN_MIGRATION`: one in-table record (the seed's `KafkaInMigration`) or a
/// reference-check marker (`KafkaInMigrationRefChecker`).
///
/// The wire format is documented in the README; ``RecordMessage/Encoder`` writes it and
/// `Decodable` reads it back.
public enum InMigrationMessage: Sendable, Hashable {
    case record(RecordMessage)
    case refCheck(RefCheckMarker)

    /// The `kind` field that tells the two apart.
    public enum Kind: String, Codable, Sendable {
        case record
        case refCheck
    }
}

extension InMigrationMessage: Decodable {
    private enum CodingKeys: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: CodingKeys.self).decode(Kind.self, forKey: .kind)
        switch kind {
        case .record: self = .record(try RecordMessage(from: decoder))
        case .refCheck: self = .refCheck(try RefCheckMarker(from: decoder))
        }
    }
}

/// One record of one in-table, with the child rows that belong to it.
public struct RecordMessage: Codable, Sendable, Hashable {
    public var kind: InMigrationMessage.Kind = .record
    public var migrationId: MigrationID
    public var operDate: OperDate
    public var bo: BOCode
    public var table: String
    /// `nil` when the in-table row has none: the consumer rejects such a record with an error.
    public var externalId: String?
    /// Every column of the in-table row, as discovered, by column name.
    public var row: JSONObject
    /// Child rows by the child mapping's field name; absent when the table has no children.
    public var children: ChildRows?

    public init(
        migrationId: MigrationID, operDate: OperDate, bo: BOCode, table: String, externalId: String?,
        row: JSONObject, children: ChildRows? = nil
    ) {
        self.migrationId = migrationId
        self.operDate = operDate
        self.bo = bo
        self.table = table
        self.externalId = externalId
        self.row = row
        self.children = children
    }

    /// The Kafka key of a record: every message of one instance goes to one partition, in order.
    public static func key(bo: BOCode, externalId: String) -> String { "\(bo.rawValue):\(externalId)" }
}

/// Sent by the starter to every partition of `IN_MIGRATION` after all records of a migration were
/// acknowledged. A consumer that has seen the marker on a partition has seen every record of that
/// migration on it; once it has seen all `partitions` markers it re-checks parked references.
public struct RefCheckMarker: Codable, Sendable, Hashable {
    public var kind: InMigrationMessage.Kind = .refCheck
    public var migrationId: MigrationID
    public var operDate: OperDate
    /// The partition this marker was written to.
    public var partition: Int32
    /// How many markers the migration sent: one per partition.
    public var partitions: Int32
    /// How many records the migration streamed in all.
    public var records: Int64

    public init(migrationId: MigrationID, operDate: OperDate, partition: Int32, partitions: Int32, records: Int64) {
        self.migrationId = migrationId
        self.operDate = operDate
        self.partition = partition
        self.partitions = partitions
        self.records = records
    }
}
