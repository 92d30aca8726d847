import CLibPQ

extension PostgresConnection {
    /// Runs SQL and returns its rows, all copied into Swift values.
    ///
    /// With parameters, `sql` is one statement whose `$1`, `$2`, … are bound as text
    /// (`PQexecParams`); the server infers their types, cast in SQL where it cannot
    /// (`$1::bigint`). Without parameters, `sql` may hold several statements separated by `;`
    /// (`PQexec`), and the last statement's rows are returned.
    /// - Parameters:
    ///   - sql: the statement(s); never paste values into it, pass them as parameters.
    ///   - parameters: values in PostgreSQL's text format, nil for NULL.
    /// - Throws: ``PostgresError`` `.queryFailed` with the server's SQLSTATE and fields;
    ///   `.connectionFailed` if the connection broke; `.invalidArgument` for NUL characters.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> PostgresRows {
        try execute(sql, parameters: parameters.map(PostgresParameter.text))
    }

    /// Runs one statement whose parameters may carry raw bytes (``PostgresParameter/bytea(_:)``);
    /// otherwise as ``execute(_:_:)``. Without parameters, `sql` may hold several statements.
    /// - Throws: as ``execute(_:_:)``.
    @discardableResult
    public func execute(_ sql: String, parameters: [PostgresParameter]) throws -> PostgresRows {
        guard !sql.containsNUL else {
            throw PostgresError(code: .invalidArgument, message: "SQL contains a NUL character")
        }
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(pointer, sql)
        } else {
            let values = try CParameters(parameters)
            result = values.withValues { pointers in
                PQexecParams(
                    pointer, sql, Int32(parameters.count), values.types, pointers, values.lengths, values.formats, 0)
            }
        }
        return try rows(from: result)
    }

    /// Turns a result into rows or an error, and clears it.
    private func rows(from result: OpaquePointer?) throws -> PostgresRows {
        guard let result else {
            throw PostgresError(code: .queryFailed, connection: pointer)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(result: result)
        case PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopyOut()
            throw PostgresError(code: .queryFailed, message: "COPY TO STDOUT needs copyOut, not execute")
        case PGRES_COPY_IN:
            PQputCopyEnd(pointer, "COPY FROM STDIN needs copyIn, not execute")
            drainResults()
            throw PostgresError(code: .queryFailed, message: "COPY FROM STDIN needs copyIn, not execute")
        default:
            let code: PostgresError.Code = PQstatus(pointer) == CONNECTION_OK ? .queryFailed : .connectionFailed
            throw PostgresError(code: code, result: result, connection: pointer)
        }
    }

    /// Reads and clears results until libpq has none left, so that the connection is idle
    /// again. Stops at a COPY state, which only the COPY functions can leave.
    func drainResults() {
        while let result = PQgetResult(pointer) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                return
            }
        }
    }
}
