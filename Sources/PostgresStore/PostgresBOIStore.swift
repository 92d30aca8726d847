import Domain
import Logging
import Postgres
import Store
import Synchronization

/// The BOI store on PostgreSQL, the default store: one JSONB document per instance, each
/// unique key of the mapping a partial unique index, and everything the consumer commits with a
/// batch — positions, outbox, parked references, counters, errors — in the same database, so
/// that one transaction covers the whole batch.
///
/// Transactions run on connections of their own when the store has some, as many at once as it
/// has; everything else (the outbox relay's lease and reads, reports, counts) on the main client,
/// so it never waits behind a batch. Tables live in `schema`, the journal's schema
/// (`ddl/030_boi_store.sql` next to `ddl/020_journal.sql`); rejected records go to the
/// journal's `migration_error`.
public final class PostgresBOIStore: BOIStore {
    let client: PostgresClient
    /// Where transactions run: connections of their own, or `client`.
    let transactionClients: [PostgresClient]
    /// How many transactions each of `transactionClients` is running or waiting for.
    private let busy: Mutex<[Int]>
    let tables: StoreTables
    let logger: Logger
    let uniqueKeys = UniqueKeyRegistry()

    /// - Parameters:
    ///   - client: a connection to the product's database; the store uses it exclusively for
    ///     the duration of each call.
    ///   - transactionClients: connections for transactions only, one per transaction that may run
    ///     at the same time (the consumer's lanes); none: they run on `client`, one at a time.
    ///   - schema: the schema holding the store and the journal (configuration `store.schema`).
    ///   - logger: receives installs and conflicts.
    public init(client: PostgresClient, transactionClients: [PostgresClient] = [], schema: String, logger: Logger) {
        self.client = client
        self.transactionClients = transactionClients.isEmpty ? [client] : transactionClients
        self.busy = Mutex(Array(repeating: 0, count: self.transactionClients.count))
        self.tables = StoreTables(schema: schema)
        self.logger = logger
    }

    /// A store on its own connections to `conninfo`: one for everything but transactions, and
    /// `transactionConnections` for transactions (one per consumer lane).
    public convenience init(conninfo: String, transactionConnections: Int, schema: String, logger: Logger) {
        self.init(
            client: PostgresClient(conninfo: conninfo, logger: logger),
            transactionClients: (0..<transactionConnections).map { _ in
                PostgresClient(conninfo: conninfo, logger: logger)
            },
            schema: schema, logger: logger)
    }

    /// Runs `body` in one PostgreSQL transaction (READ COMMITTED) on the thread of the least busy
    /// transaction connection.
    ///
    /// The transaction object `body` gets is bound to the connection and dead once `body`
    /// returns. Reads lock what they return (`FOR UPDATE`), in key order to make deadlocks rare;
    /// the ones that still happen come back as `StoreConflict(.retryable)`.
    /// - Throws: ``StoreConflict`` for a unique-key clash, a moved position, a deadlock or a
    ///   serialization failure; ``StoreRefusal`` for data the database refuses whenever it is
    ///   sent (a constraint, a value too large for an index); `PostgresError` for anything else;
    ///   whatever `body` threw.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any BOIStoreTransaction) throws -> T
    ) async throws -> T {
        let tables = self.tables
        let mapper = ConflictMapper(uniqueKeys: uniqueKeys)
        let index = busy.withLock { counts in
            let index = counts.indices.min { counts[$0] < counts[$1] } ?? 0
            counts[index] += 1
            return index
        }
        defer { busy.withLock { $0[index] -= 1 } }
        do {
            return try await transactionClients[index].withConnection { connection in
                do {
                    return try connection.transaction { connection in
                        let transaction = PostgresStoreTransaction(
                            connection: connection, tables: tables, conflicts: mapper)
                        defer { transaction.end() }
                        return try body(transaction)
                    }
                } catch let error as PostgresError {
                    throw self.conflictAfterRollback(error, mapper: mapper, connection: connection)
                }
            }
        } catch let conflict as StoreConflict {
            logger.debug("store transaction conflicted", metadata: [PostgresStoreLogKey.conflict: "\(conflict)"])
            throw conflict
        }
    }

    /// A database error that escaped the transaction (from `COMMIT`, or not mapped inside), as
    /// a conflict when it is one. A violated unique-key index that another process installed is
    /// looked up in the catalogue here, where the connection is out of the failed transaction.
    private func conflictAfterRollback(
        _ error: PostgresError, mapper: ConflictMapper, connection: PostgresConnection
    ) -> any Error {
        if let conflict = mapper.conflict(for: error) { return conflict }
        guard let name = ConflictMapper.namesUnknownUniqueKey(error) else { return ConflictMapper.refusal(error) ?? error }
        do {
            let rows = try connection.execute(
                """
                SELECT obj_description(c.oid, 'pg_class') AS comment
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relname = $2
                """,
                [tables.schemaName, name])
            guard let comment = rows.first?["comment"], let key = UniqueKeyIndex.fromComment(comment) else {
                return ConflictMapper.refusal(error) ?? error
            }
            uniqueKeys.register([key])
            return ConflictMapper.duplicate(key, error)
        } catch {
            logger.warning(
                "could not look up unique-key index \(name)", metadata: [PostgresStoreLogKey.error: "\(error)"])
            return error
        }
    }
}

/// Logger metadata keys of this module, in one namespace.
public enum PostgresStoreLogKey {
    public static let conflict = "boistore.conflict"
    public static let error = "boistore.error"
    public static let schema = "boistore.schema"
    public static let uniqueKeys = "boistore.unique_keys"
}
