import Domain
import Journal

/// What one migration's stream did, table by table.
public struct StreamReport: Sendable, Codable, Hashable {
    public var migrationID: MigrationID
    public var trackingID: Int64
    public var operDate: OperDate
    public var tables: [TableProgress]
    /// Records handed to the broker and acknowledged by it.
    public var recordsStreamed: Int64
    /// Records refused (their BO is never migrated) and reported in the journal.
    public var recordsRejected: Int64
    /// Reference-check markers sent (one per partition of IN_MIGRATION).
    public var markers: Int32
    public var seconds: Double

    public var recordsPerSecond: Double { seconds > 0 ? Double(recordsStreamed) / seconds : 0 }
}
