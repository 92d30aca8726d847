import DDL
import Domain
import Logging
import Postgres

/// The customer's side, as the tests play it: the sample in-tables, their rows and the
/// handshake row that says a day is ready.
public struct SampleSource: Sendable {
    public let client: PostgresClient

    public init(url: String, logger: Logger = Logger(label: "test")) {
        client = PostgresClient(conninfo: url, logger: logger)
    }

    /// Creates `process_tracking` and the sample in-tables from `ddl/`.
    public func createTables() async throws {
        try await client.execute(DDL.processTracking)
        try await client.execute(DDL.sampleInTables)
    }

    /// Inserts a handshake row; `ready` sets load_status to DONE as the customer does at the end.
    @discardableResult
    public func signal(_ day: OperDate, ready: Bool = true) async throws -> Int64 {
        let rows = try await client.execute(
            """
            INSERT INTO process_tracking (oper_date, start_load_time, end_load_time, load_status)
            VALUES ($1::date, now(), now(), $2) RETURNING id
            """,
            [day.rawValue, ready ? "DONE" : nil])
        guard let id = rows.first?.int64("id") else { throw TestSupportError("no id returned") }
        return id
    }

    /// Fills the in-tables with generated rows: `people` persons (each with two phones), a
    /// department for every ten of them, a group, a contract (with a payment) for every other
    /// person, and one company.
    public func generate(people: Int) async throws {
        try await client.execute(
            """
            INSERT INTO in_department (external_id, code, name, parent_external_id)
            SELECT 'D-' || i, 'DEP' || i, 'Department ' || i, CASE WHEN i > 1 THEN 'D-1' END
            FROM generate_series(1, greatest($1::int / 10, 1)) i
            """, [String(people)])
        try await client.execute(
            """
            INSERT INTO in_person (external_id, first_name, last_name, iin, birth_date, email, department_external_id, salary)
            SELECT 'P-' || i, 'First' || i, E'Last "quoted" \\\\ ' || i, lpad(i::text, 12, '0'), date '1990-01-01' + (i % 9000),
                   'p' || i || '@example.kz', 'D-' || (1 + i % greatest($1::int / 10, 1)), 1000 + i
            FROM generate_series(1, $1::int) i
            """, [String(people)])
        try await client.execute(
            """
            INSERT INTO in_person_phone (person_external_id, kind, number)
            SELECT 'P-' || i, k, '+7 700 ' || i FROM generate_series(1, $1::int) i, unnest(ARRAY['mobile', 'work']) k
            """, [String(people)])
        try await client.execute(
            """
            INSERT INTO in_person_group (external_id, code, name, member_external_ids)
            VALUES ('G-1', 'G1', 'Everyone early', ARRAY['P-1', 'P-2', 'P-3'])
            """)
        try await client.execute(
            """
            INSERT INTO in_contract (external_id, contract_number, person_external_id, department_external_id, status_code, amount, signed_on)
            SELECT 'C-' || i, 'CN-' || i, 'P-' || i, 'D-1', 'ACTIVE', i * 10, date '2026-01-01'
            FROM generate_series(1, $1::int, 2) i
            """, [String(people)])
        try await client.execute(
            """
            INSERT INTO in_contract_payment (contract_external_id, paid_on, amount)
            SELECT 'C-' || i, date '2026-02-01', i FROM generate_series(1, $1::int, 2) i
            """, [String(people)])
        try await client.execute("INSERT INTO in_company (external_id, name, bin) VALUES ('CO-1', 'Refused LLP', '1')")
    }

    /// Row counts of the root in-tables, by table name.
    public func counts() async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for table in ["in_department", "in_person", "in_person_group", "in_contract", "in_company"] {
            counts[table] = try await client.execute("SELECT count(*) AS n FROM \(table)").first?.int64("n")
        }
        return counts
    }

    public func close() async { await client.close() }
}

extension SampleSource {
    /// Adds records that exercise merges and removals: persons whose national id another person
    /// already has (2% of `generate`'s persons), and removed contracts.
    public func addDuplicatesAndRemovals() async throws {
        try await client.execute(
            """
            INSERT INTO in_person (external_id, first_name, last_name, iin, email, department_external_id)
            SELECT 'DUP-' || external_id, first_name, last_name, iin, 'dup-' || email, department_external_id
            FROM in_person WHERE (substring(external_id FROM 3))::int % 50 = 0
            """)
        try await client.execute(
            """
            INSERT INTO in_contract (external_id, contract_number, person_external_id, status_code, removed)
            SELECT external_id, contract_number, person_external_id, status_code, true
            FROM in_contract WHERE (substring(external_id FROM 3))::int % 97 = 1
            """)
    }
}
