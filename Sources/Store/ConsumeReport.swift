import Domain

/// The consume stage of one migration, as the store recorded it.
public struct ConsumeReport: Hashable, Codable, Sendable {
    public var migrationID: MigrationID
    public var tables: [String: ConsumeStats]
    public var total: ConsumeStats
    /// Markers seen so far, and how many the migration sent.
    public var markersSeen: Int32
    public var markersExpected: Int32?
    /// How many references were still parked after the migration's reference check (`nil` before
    /// it ran).
    public var danglingCount: Int64?
    /// The first of them in slot order, at most ``danglingListed``: a load can leave hundreds of
    /// thousands, which the store lists in full (`migration_dangling`) and a report only counts.
    public var dangling: [ParkedReference]?

    /// How many dangling references a report lists.
    public static let danglingListed = 100

    public init(
        migrationID: MigrationID, tables: [String: ConsumeStats], markersSeen: Int32, markersExpected: Int32?,
        danglingCount: Int64?, dangling: [ParkedReference]?
    ) {
        self.migrationID = migrationID
        self.tables = tables
        self.total = tables.values.reduce(ConsumeStats(), +)
        self.markersSeen = markersSeen
        self.markersExpected = markersExpected
        self.danglingCount = danglingCount
        self.dangling = dangling
    }
}
