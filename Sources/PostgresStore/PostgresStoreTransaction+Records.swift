import Domain
import Postgres
import Store

extension PostgresStoreTransaction {
    /// Appends the batch's messages as one outbox row; ids ascend with every row, which is the
    /// order rows are published in.
    /// - Returns: the row's id, which stands for each of its messages; nil when there are none.
    func insertOutbox(_ messages: [OutboxMessage]) throws -> Int64? {
        guard !messages.isEmpty else { return nil }
        let rows = try run(
            "INSERT INTO \(tables.outbox) (messages, payload) VALUES ($1, $2) RETURNING id",
            parameters: [.text(String(messages.count)), .bytea(OutboxPayload.encode(messages))])
        guard let id = rows.first?.int64("id") else {
            throw PostgresStoreError(code: .corruptRow, message: "the outbox insert returned no id")
        }
        return id
    }

    /// Into the journal's `migration_error`, with the columns the journal itself writes. A U+0000
    /// (a garbage message's raw bytes, say) becomes U+FFFD: PostgreSQL's `text` cannot hold it,
    /// and the report of a bad record must not take its batch down with it.
    func insertErrors(_ errors: [RecordError]) throws {
        guard !errors.isEmpty else { return }
        let errors = errors.map { error in
            var error = error
            for field in [\RecordError.table, \.externalID, \.field, \.raw] {
                error[keyPath: field] = error[keyPath: field].map(Self.withoutNUL)
            }
            error.reason = Self.withoutNUL(error.reason)
            return error
        }
        try run(
            """
            INSERT INTO \(tables.migrationError) (migration_id, stage, table_name, external_id, field, reason, raw)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            """,
            [
                PostgresArray.text(errors.map(\.migrationID.rawValue)),
                PostgresArray.text(errors.map(\.stage.rawValue)),
                PostgresArray.text(errors.map(\.table)),
                PostgresArray.text(errors.map(\.externalID)),
                PostgresArray.text(errors.map(\.field)),
                PostgresArray.text(errors.map(\.reason)),
                PostgresArray.text(errors.map(\.raw)),
            ])
    }

    /// Adds the batch's increments to the counters of each migration and in-table.
    func addStats(_ stats: [StatsKey: ConsumeStats]) throws {
        let sorted = stats.sorted {
            ($0.key.migrationID.rawValue, $0.key.table) < ($1.key.migrationID.rawValue, $1.key.table)
        }
        guard !sorted.isEmpty else { return }
        let counters: [(column: String, value: KeyPath<ConsumeStats, Int64>)] = [
            ("records", \.records), ("created", \.created), ("updated", \.updated), ("unchanged", \.unchanged),
            ("merged", \.merged), ("removed", \.removed), ("skipped", \.skipped), ("rejected", \.rejected),
            ("refs_parked", \.refsParked), ("refs_resolved", \.refsResolved), ("boi_events", \.boiEvents),
        ]
        let arrays = counters.map { counter in
            PostgresArray.text(sorted.map { String($0.value[keyPath: counter.value]) })
        }
        let columns = counters.map(\.column)
        let counterArrays = columns.indices.map { "$\($0 + 3)::bigint[]" }.joined(separator: ", ")
        try run(
            """
            INSERT INTO \(tables.stats) AS s (migration_id, table_name, \(columns.joined(separator: ", ")))
            SELECT * FROM unnest($1::text[], $2::text[], \(counterArrays))
            ON CONFLICT (migration_id, table_name) DO UPDATE SET
                \(columns.map { "\($0) = s.\($0) + excluded.\($0)" }.joined(separator: ", ")), updated_at = now()
            """,
            [
                PostgresArray.text(sorted.map(\.key.migrationID.rawValue)),
                PostgresArray.text(sorted.map(\.key.table)),
            ] + arrays)
    }

    func clearDangling(of migration: MigrationID) throws {
        try run("DELETE FROM \(tables.dangling) WHERE migration_id = $1", [migration.rawValue])
    }

    func addDangling(_ references: [ParkedReference], of migration: MigrationID) throws {
        guard !references.isEmpty else { return }
        let columns = TargetColumns(references)
        try run(
            """
            INSERT INTO \(tables.dangling) (migration_id, source_boi_id, field, position, target, target_kind,
                target_bo, target_external_id, catalog, code, parked_by)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::text[])
            """,
            [
                migration.rawValue, PostgresArray.text(columns.sources), PostgresArray.text(columns.fields),
                PostgresArray.text(columns.positions), PostgresArray.text(columns.labels),
                PostgresArray.text(columns.kinds), PostgresArray.text(columns.bos),
                PostgresArray.text(columns.externalIds), PostgresArray.text(columns.catalogs),
                PostgresArray.text(columns.codes), PostgresArray.text(columns.migrations),
            ])
    }

    static func withoutNUL(_ text: String) -> String {
        text.containsNUL ? text.split(separator: "\u{0}", omittingEmptySubsequences: false).joined(separator: "\u{FFFD}") : text
    }
}
