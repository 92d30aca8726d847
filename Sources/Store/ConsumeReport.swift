import Domain

/// The consume stage of one migration, as the store recorded it.
public struct ConsumeReport: Hashable, Codable, Sendable {
    public var migrationID: MigrationID
    public var tables: [String: ConsumeStats]
    public var total: ConsumeStats
    /// Markers seen so far, and how many the migration sent.
    public var markersSeen: Int32
    public var markersExpected: Int32?
    /// References still parked after the migration's reference check (`nil` before it ran).
    public var dangling: [ParkedReference]?

    public init(
        migrationID: MigrationID, tables: [String: ConsumeStats], markersSeen: Int32, markersExpected: Int32?,
        dangling: [ParkedReference]?
    ) {
        self.migrationID = migrationID
        self.tables = tables
        self.total = tables.values.reduce(ConsumeStats(), +)
        self.markersSeen = markersSeen
        self.markersExpected = markersExpected
        self.dangling = dangling
    }
}
