import Domain
import Postgres

extension Journal {
    /// Records errors in one statement, however many there are.
    public func recordErrors(_ errors: [RecordError]) async throws {
        guard !errors.isEmpty else { return }
        try await client.execute(
            """
            INSERT INTO \(qualified("migration_error"))
                (migration_id, stage, table_name, external_id, field, reason, raw)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            """,
            [
                PostgresArray.text(errors.map { $0.migrationID.rawValue }),
                PostgresArray.text(errors.map { $0.stage.rawValue }),
                PostgresArray.text(errors.map(\.table)),
                PostgresArray.text(errors.map(\.externalID)),
                PostgresArray.text(errors.map(\.field)),
                PostgresArray.text(errors.map(\.reason)),
                PostgresArray.text(errors.map(\.raw)),
            ]
        )
    }

    /// The errors of a migration, oldest first.
    public func errors(of id: MigrationID, limit: Int = 100) async throws -> [RecordError] {
        let rows = try await client.execute(
            """
            SELECT stage, table_name, external_id, field, reason, raw FROM \(qualified("migration_error"))
            WHERE migration_id = $1 ORDER BY id LIMIT $2
            """,
            [id.rawValue, String(limit)]
        )
        return rows.map { row in
            RecordError(
                migrationID: id, stage: RecordError.Stage(rawValue: row["stage"] ?? "") ?? .stream,
                table: row["table_name"], externalID: row["external_id"], field: row["field"],
                reason: row["reason"] ?? "", raw: row["raw"])
        }
    }
}
