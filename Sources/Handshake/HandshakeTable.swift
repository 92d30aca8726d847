import Domain
import Logging
import Postgres

/// The customer's `process_tracking` table: the contract that says when a day's load is ready and
/// when we have taken it.
///
/// Every decision is made by the database in one statement (claim, lease renewal, done-signal), so
/// that any number of instances can share one table and never disagree about who owns a row.
/// Time comes from the database's clock, never from the instance's, so clock skew between
/// instances cannot make a live lease look expired.
public struct HandshakeTable: Sendable {
    let client: PostgresClient
    let table: String
    let readyStatus: String
    let logger: Logger

    /// - Parameters:
    ///   - client: a connection to the customer's database.
    ///   - schema: the schema of `process_tracking` (the source schema).
    ///   - table: its name (configurable: `source.trackingTable`).
    ///   - readyStatus: the `load_status` value by which the customer says the in-tables are complete.
    public init(client: PostgresClient, schema: String, table: String, readyStatus: String, logger: Logger) {
        self.client = client
        self.table = PostgresConnection.quoteIdentifier(schema) + "." + PostgresConnection.quoteIdentifier(table)
        self.readyStatus = readyStatus
        self.logger = logger
    }

    static let columns = """
        id, oper_date::text AS oper_date, start_load_time::text AS start_load_time,
        end_load_time::text AS end_load_time, load_status,
        start_ins_inkafka_time::text AS start_ins_inkafka_time,
        end_ins_inkafka_time::text AS end_ins_inkafka_time, ins_inkafka_status, occupied_by_process,
        migrate_cur_date::text AS migrate_cur_date, periodic_update_time::text AS periodic_update_time,
        inserted_at::text AS inserted_at, safe_to_clear_at::text AS safe_to_clear_at, records_streamed,
        records_consumed, records_rejected, refs_dangling
        """

    /// The rows whose oper_date lies in the range (both ends optional), newest first.
    public func rows(from: OperDate? = nil, to: OperDate? = nil, limit: Int = 100) async throws -> [TrackingRow] {
        let rows = try await client.execute(
            """
            SELECT \(Self.columns) FROM \(table)
            WHERE ($1::date IS NULL OR oper_date >= $1::date) AND ($2::date IS NULL OR oper_date <= $2::date)
            ORDER BY oper_date DESC, id DESC LIMIT $3
            """,
            [from?.rawValue, to?.rawValue, String(limit)]
        )
        return rows.compactMap(TrackingRow.init(row:))
    }

    /// The row with this id, if there is one.
    public func row(id: Int64) async throws -> TrackingRow? {
        let rows = try await client.execute("SELECT \(Self.columns) FROM \(table) WHERE id = $1", [String(id)])
        return rows.first.flatMap(TrackingRow.init(row:))
    }
}

extension TrackingRow {
    /// Nil only for a row without an id or day, which the table's NOT NULL columns rule out.
    init?(row: PostgresRow) {
        guard let id = row.int64("id"), let date = row["oper_date"] else { return nil }
        self.init(
            id: id, operDate: date, startLoadTime: row["start_load_time"], endLoadTime: row["end_load_time"],
            loadStatus: row["load_status"], startInsInKafkaTime: row["start_ins_inkafka_time"],
            endInsInKafkaTime: row["end_ins_inkafka_time"], insInKafkaStatus: row["ins_inkafka_status"],
            occupiedByProcess: row["occupied_by_process"], migrateCurDate: row["migrate_cur_date"],
            periodicUpdateTime: row["periodic_update_time"], insertedAt: row["inserted_at"]
        )
        safeToClearAt = row["safe_to_clear_at"]
        recordsStreamed = row.int64("records_streamed")
        recordsConsumed = row.int64("records_consumed")
        recordsRejected = row.int64("records_rejected")
        refsDangling = row.int64("refs_dangling")
    }
}
