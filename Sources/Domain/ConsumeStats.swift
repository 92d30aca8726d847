/// Counts of the consume stage per migration and in-table: every record is accounted for in
/// exactly one of created, updated, unchanged, merged, removed, skipped or rejected.
public struct ConsumeStats: Hashable, Codable, Sendable {
    public var records: Int64 = 0
    public var created: Int64 = 0
    public var updated: Int64 = 0
    public var unchanged: Int64 = 0
    public var merged: Int64 = 0
    public var removed: Int64 = 0
    public var skipped: Int64 = 0
    public var rejected: Int64 = 0
    public var refsParked: Int64 = 0
    public var refsResolved: Int64 = 0
    public var boiEvents: Int64 = 0

    public init() {}

    public static func + (lhs: ConsumeStats, rhs: ConsumeStats) -> ConsumeStats {
        var sum = lhs
        sum.records += rhs.records
        sum.created += rhs.created
        sum.updated += rhs.updated
        sum.unchanged += rhs.unchanged
        sum.merged += rhs.merged
        sum.removed += rhs.removed
        sum.skipped += rhs.skipped
        sum.rejected += rhs.rejected
        sum.refsParked += rhs.refsParked
        sum.refsResolved += rhs.refsResolved
        sum.boiEvents += rhs.boiEvents
        return sum
    }
}

/// Counters are kept per migration and in-table.
public struct StatsKey: Hashable, Codable, Sendable {
    public var migrationID: MigrationID
    public var table: String

    public init(migrationID: MigrationID, table: String) {
        self.migrationID = migrationID
        self.table = table
    }
}
