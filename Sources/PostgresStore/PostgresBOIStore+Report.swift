import Domain
import Postgres
import Store

extension PostgresBOIStore {
    /// Counters per in-table, markers seen and expected, and — once every marker was seen, so
    /// the reference check has run — how many references it left dangling, and the first of
    /// them. Read in one snapshot.
    public func consumeReport(_ migration: MigrationID) async throws -> ConsumeReport {
        let tables = self.tables
        return try await client.withConnection { connection in
            try connection.transaction { connection in
                try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let stats = try connection.execute(
                    """
                    SELECT table_name, records, created, updated, unchanged, merged, removed, skipped, rejected,
                           refs_parked, refs_resolved, boi_events
                    FROM \(tables.stats) WHERE migration_id = $1
                    """,
                    [migration.rawValue])
                let markers = try connection.execute(
                    """
                    SELECT count(*) AS seen, max(partitions) AS expected FROM \(tables.marker)
                    WHERE migration_id = $1
                    """,
                    [migration.rawValue])
                let seen = Int32(markers.first?.int("seen") ?? 0)
                let expected = markers.first?.int("expected").map(Int32.init)
                var dangling: (count: Int64, first: [ParkedReference])?
                if let expected, seen >= expected {
                    let count = try connection.execute(
                        "SELECT count(*) AS n FROM \(tables.dangling) WHERE migration_id = $1", [migration.rawValue])
                    let first = try connection.execute(
                        """
                        SELECT source_boi_id, field, position, target_kind, target_bo, target_external_id, catalog,
                               code, parked_by
                        FROM \(tables.dangling) WHERE migration_id = $1 ORDER BY source_boi_id, field, position
                        LIMIT $2
                        """,
                        [migration.rawValue, String(ConsumeReport.danglingListed)]
                    ).map { try StoredRows.reference($0, migrationColumn: "parked_by") }
                    dangling = (count.first?.int64("n") ?? 0, first)
                }
                return ConsumeReport(
                    migrationID: migration, tables: try Self.stats(stats), markersSeen: seen,
                    markersExpected: expected, danglingCount: dangling?.count, dangling: dangling?.first)
            }
        }
    }

    public func parkedReferenceCount() async throws -> Int64 {
        try await client.execute("SELECT count(*) AS n FROM \(tables.reference)").first?.int64("n") ?? 0
    }

    private static func stats(_ rows: PostgresRows) throws -> [String: ConsumeStats] {
        var tables: [String: ConsumeStats] = [:]
        for row in rows {
            guard let table = row["table_name"] else {
                throw PostgresStoreError(code: .corruptRow, message: "consume_stats row without a table")
            }
            var stats = ConsumeStats()
            stats.records = row.int64("records") ?? 0
            stats.created = row.int64("created") ?? 0
            stats.updated = row.int64("updated") ?? 0
            stats.unchanged = row.int64("unchanged") ?? 0
            stats.merged = row.int64("merged") ?? 0
            stats.removed = row.int64("removed") ?? 0
            stats.skipped = row.int64("skipped") ?? 0
            stats.rejected = row.int64("rejected") ?? 0
            stats.refsParked = row.int64("refs_parked") ?? 0
            stats.refsResolved = row.int64("refs_resolved") ?? 0
            stats.boiEvents = row.int64("boi_events") ?? 0
            tables[table] = stats
        }
        return tables
    }
}
