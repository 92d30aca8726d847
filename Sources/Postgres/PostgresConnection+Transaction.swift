import CLibPQ

extension PostgresConnection {
    /// Runs `body` inside `BEGIN` … `COMMIT`, rolling back when it throws.
    ///
    /// A statement that fails inside the transaction aborts it on the server; if `body`
    /// catches that error and returns normally, the server turns `COMMIT` into a rollback.
    /// That is reported as `.transactionAborted` rather than passing for success.
    /// - Parameter body: the work; it gets this connection back for convenience.
    /// - Returns: what `body` returned, once committed.
    /// - Throws: what `body` threw (after `ROLLBACK`), or a ``PostgresError`` from
    ///   `BEGIN`/`COMMIT`.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let commit: PostgresRows
        do {
            commit = try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(
                code: .transactionAborted,
                message: "COMMIT rolled back: a statement inside the transaction failed and its error was caught"
            )
        }
        return value
    }

    /// Ends a transaction that is already failing; a second error here would only hide the
    /// first one, and a broken connection is noticed by the next call anyway. Skipped when the
    /// server has no transaction open (a failed COMMIT ends it), which would only warn.
    private func rollbackQuietly() {
        guard isHealthy, PQtransactionStatus(pointer) != PQTRANS_IDLE else { return }
        _ = try? execute("ROLLBACK")
    }
}
