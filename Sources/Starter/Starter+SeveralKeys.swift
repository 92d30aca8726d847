import Config
import Domain
import Handshake
import Journal
import Logging
import Postgres

extension Starter {
    /// Reports, in the journal and the log, the externalIds of an in-table whose rows differ in
    /// the unique key that keys their messages. A customer's load should hold one row per
    /// externalId; where it holds several that differ there, they go to different partitions and
    /// the consumer applies them in no set order, so which values the instance ends with is not
    /// fixed from run to run. They are still streamed: nothing is dropped, and the operator is
    /// told which records to fix. Rows of one externalId with one key share a partition and keep
    /// the table's order, so they are not reported.
    ///
    /// Only for tables keyed by a unique key; others are keyed by the externalId itself. Not
    /// where a unique index keeps the externalId unique: there each has one row, and the
    /// aggregation (about a second of the database's CPU per million rows) would find nothing.
    func reportExternalIdsWithSeveralKeys(
        _ table: InTable, claim: Claim, snapshot: SourceSnapshot
    ) async throws {
        guard let columns = table.partitionKeyColumns, !table.uniqueColumns.contains(table.mapping.externalId)
        else { return }
        let limit = Self.severalKeysErrorLimit
        let statement = RecordQuery.externalIdsWithSeveralKeys(
            for: table, schema: configuration.source.schema, limit: limit + 1)
        let rows = try await readers[0].withConnection { connection in
            try snapshot.read(on: connection) { connection in
                // Compiling the aggregation took longer than running it.
                try connection.execute("SET LOCAL jit = off")
                return try connection.execute(statement)
            }
        }
        guard !rows.isEmpty else { return }
        let field = columns.joined(separator: ", ")
        var errors = rows.prefix(limit).map { row in
            RecordError(
                migrationID: claim.migrationID, stage: .stream, table: table.name, externalID: row["external_id"],
                field: field,
                reason: "\(row["rows"] ?? "?") rows have this externalId and differ in \(field): they are streamed "
                    + "on different partitions, so which of them the instance ends with (and whether a removal comes "
                    + "before or after the record it removes) is not fixed; the in-table should hold one row per "
                    + "externalId, or give its rows the same \(field)")
        }
        if rows.count > limit {
            errors.append(
                RecordError(
                    migrationID: claim.migrationID, stage: .stream, table: table.name, externalID: nil, field: field,
                    reason: "more externalIds than the \(limit) listed have rows with different values of \(field)"))
        }
        try await journal.recordErrors(errors)
        logger.warning(
            "externalIds with rows that differ in the unique key: applied in no set order",
            metadata: [
                "table": "\(table.name)", "unique_key": "\(field)",
                "external_ids": "\(rows.count > limit ? "more than \(limit)" : "\(rows.count)")",
            ])
    }

    /// ExternalIds with several keys listed one by one in the journal; beyond this, one summary.
    public static let severalKeysErrorLimit = 1_000
}
