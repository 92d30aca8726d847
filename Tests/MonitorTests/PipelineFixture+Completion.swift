import Domain
import IntegrationSupport
import Postgres
import Starter
import Testing

extension PipelineFixture {
    /// Streams a signalled day.
    func stream(_ day: OperDate) async throws -> StreamReport {
        guard let report = try await starter.starter.runUntilIdle(operDate: day).first else {
            throw TestSupportError("\(day) was not claimed")
        }
        return report
    }

    /// The journal row of a migration: status, completed_at, error.
    func journalRow(_ id: MigrationID) async throws -> PostgresRow {
        guard
            let row = try await source.client.execute(
                """
                SELECT status, completed_at::text AS completed_at, error, records_consumed, signalled_at::text AS signalled_at
                FROM inmigration.migration WHERE id = $1
                """, [id.rawValue]
            ).first
        else { throw TestSupportError("no migration \(id)") }
        return row
    }

    func trackingRow(_ id: Int64) async throws -> PostgresRow {
        guard
            let row = try await source.client.execute(
                """
                SELECT ins_inkafka_status, safe_to_clear_at::text AS safe_to_clear_at, records_streamed, records_consumed,
                       records_rejected, refs_dangling
                FROM process_tracking WHERE id = $1
                """, [String(id)]
            ).first
        else { throw TestSupportError("no process_tracking row \(id)") }
        return row
    }
}

extension OperDate {
    static let day1 = OperDate(rawValue: "2026-11-20")!
}
