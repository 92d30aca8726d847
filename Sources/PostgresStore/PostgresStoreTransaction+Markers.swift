import Domain
import Postgres
import Store

extension PostgresStoreTransaction {
    /// Two statements: first a transaction-scoped advisory lock per migration, which
    /// serialises the markers of one migration across consumers; then the insert and the count,
    /// whose snapshot (READ COMMITTED: taken per statement) is younger than the lock and so
    /// sees every marker committed before it. Without the lock, two consumers recording the
    /// last two markers at once would each count the other's as missing, and neither would
    /// run the reference check.
    ///
    /// - Returns: `true` only for the call that inserted the marker completing the set; a
    ///   marker delivered again, or any marker after the set was complete, returns `false`.
    func recordMarker(_ migration: MigrationID, partition: Int32, partitions: Int32) throws -> Bool {
        try run(
            "SELECT pg_advisory_xact_lock(hashtext('inmigration.migration_marker'), hashtext($1))",
            [migration.rawValue])
        let rows = try run(
            """
            WITH inserted AS (
                INSERT INTO \(tables.marker) (migration_id, partition, partitions) VALUES ($1, $2, $3)
                ON CONFLICT (migration_id, partition) DO NOTHING
                RETURNING partition
            )
            SELECT (SELECT count(*) FROM inserted) AS inserted,
                   (SELECT count(*) FROM \(tables.marker) WHERE migration_id = $1) AS before
            """,
            [migration.rawValue, String(partition), String(partitions)])
        guard let inserted = rows.first?.int("inserted"), let before = rows.first?.int("before") else {
            throw PostgresStoreError(code: .corruptRow, message: "the marker count returned no row")
        }
        // The count's snapshot predates the insert: it does not include this marker. True when
        // this marker is the one that takes the count to `partitions`, never again after.
        return inserted == 1 && before < Int(partitions) && before + 1 >= Int(partitions)
    }
}
