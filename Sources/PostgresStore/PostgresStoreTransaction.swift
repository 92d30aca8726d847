import Domain
import Postgres
import Store

/// One open transaction of ``PostgresBOIStore``, bound to the connection it runs on.
///
/// Not `Sendable`, like the connection: it lives on the client's thread for the duration of the
/// transaction body and is dead afterwards, so a copy that escaped the body cannot reach a
/// connection that has moved on to other work. Every method is one statement, one round trip,
/// however many keys it is given (arrays travel as parameters and are `unnest`ed).
///
/// A read by key probes an index once per key: `CROSS JOIN LATERAL (… WHERE key = k.key
/// OFFSET 0)` (the `OFFSET` keeps the planner from flattening the probe into a join). A plain
/// join leaves the choice to the planner, which on the tables a load grows from empty — parked
/// references, aliases, the instances of a first load — chose to hash the whole table for every
/// batch, by statistics that lag behind the load: 19 ms instead of 4 for 2,500 keys against
/// 50,000 parked references, and a scan of every instance per batch. A probe costs the same
/// however large the table grows.
final class PostgresStoreTransaction: BOIStoreTransaction {
    private let connection: PostgresConnection
    let tables: StoreTables
    private let conflicts: ConflictMapper
    private var isOpen = true
    /// The keys ``boiIDs(for:lockingAliasesOf:)`` looked up (sorted, each once: each lookup's
    /// sorted keys are merged in, not hashed into a set), and ``aliasesRead`` those of them that
    /// `boi_map` holds an alias for: a key mapped back to its own instance needs its alias
    /// deleted, a key looked up without one needs nothing written.
    var keysRead: [BOKey] = []
    var aliasesRead: Set<BOKey> = []

    init(connection: PostgresConnection, tables: StoreTables, conflicts: ConflictMapper) {
        self.connection = connection
        self.tables = tables
        self.conflicts = conflicts
    }

    /// Called when the body returned or threw; every later call throws.
    func end() {
        isOpen = false
    }

    /// Runs one statement of this transaction, turning conflicts into ``StoreConflict``.
    @discardableResult
    func run(_ sql: String, _ parameters: [String?]) throws -> PostgresRows {
        try run(sql, parameters: parameters.map(PostgresParameter.text))
    }

    /// ``run(_:_:)`` with parameters that may carry raw bytes.
    @discardableResult
    func run(_ sql: String, parameters: [PostgresParameter]) throws -> PostgresRows {
        try mappingConflicts { try connection.execute(sql, parameters: parameters) }
    }

    /// Loads rows with one binary `COPY … FROM STDIN` of this transaction, turning conflicts
    /// into ``StoreConflict`` as ``run(_:_:)`` does.
    func copy(_ statement: String, rows: [[CopyBinaryValue]]) throws {
        _ = try mappingConflicts { try connection.copyIn(binary: statement, rows: rows) }
    }

    private func mappingConflicts<Result>(_ body: () throws -> Result) throws -> Result {
        guard isOpen else {
            throw PostgresStoreError(code: .transactionEnded, message: "a store transaction was used after it ended")
        }
        do {
            return try body()
        } catch let error as PostgresError {
            if let conflict = conflicts.conflict(for: error) { throw conflict }
            throw error
        }
    }
}
