/// One row of `process_tracking`, as the operator and the REST API see it.
public struct TrackingRow: Sendable, Hashable, Codable {
    public var id: Int64
    /// `oper_date` as the database writes it: a calendar day, or a value the starter refuses to
    /// claim (`infinity`), which the operator must still see next to its `FAILED` status.
    public var operDate: String
    public var startLoadTime: String?
    public var endLoadTime: String?
    public var loadStatus: String?
    public var startInsInKafkaTime: String?
    public var endInsInKafkaTime: String?
    public var insInKafkaStatus: String?
    public var occupiedByProcess: String?
    public var migrateCurDate: String?
    public var periodicUpdateTime: String?
    public var insertedAt: String?
    /// Added by in-migration: when the customer may clear the in-tables, and the final counts.
    public var safeToClearAt: String?
    public var recordsStreamed: Int64?
    public var recordsConsumed: Int64?
    public var recordsRejected: Int64?
    public var refsDangling: Int64?

    public init(
        id: Int64, operDate: String, startLoadTime: String? = nil, endLoadTime: String? = nil,
        loadStatus: String? = nil, startInsInKafkaTime: String? = nil, endInsInKafkaTime: String? = nil,
        insInKafkaStatus: String? = nil, occupiedByProcess: String? = nil, migrateCurDate: String? = nil,
        periodicUpdateTime: String? = nil, insertedAt: String? = nil
    ) {
        self.id = id
        self.operDate = operDate
        self.startLoadTime = startLoadTime
        self.endLoadTime = endLoadTime
        self.loadStatus = loadStatus
        self.startInsInKafkaTime = startInsInKafkaTime
        self.endInsInKafkaTime = endInsInKafkaTime
        self.insInKafkaStatus = insInKafkaStatus
        self.occupiedByProcess = occupiedByProcess
        self.migrateCurDate = migrateCurDate
        self.periodicUpdateTime = periodicUpdateTime
        self.insertedAt = insertedAt
    }
}

/// The values `ins_inkafka_status` takes (documented in `ddl/010_process_tracking.sql`).
public enum StreamStatus {
    public static let done = "DONE"
    public static let failed = "FAILED"
}
