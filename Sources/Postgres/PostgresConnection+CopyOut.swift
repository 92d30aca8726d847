import CLibPQ

extension PostgresConnection {
    /// Streams the tuples of a binary `COPY … TO STDOUT`, one call of `row` per tuple.
    ///
    /// Only the bytes of the current message are held, so memory stays flat however many
    /// rows the statement produces. If `row` throws, or the stream fails, the COPY is
    /// cancelled on the server and its remaining data discarded, so the connection can be
    /// used again right away.
    /// - Parameters:
    ///   - copyStatement: the whole statement, e.g.
    ///     `COPY (SELECT row_to_json(t) FROM t) TO STDOUT (FORMAT binary)`. COPY cannot take
    ///     parameters: quote names and values with ``quoteIdentifier(_:)`` and
    ///     ``quoteLiteral(_:)``.
    ///   - row: called with each tuple; see ``CopyRow`` for how long its bytes live.
    /// - Returns: the number of tuples delivered.
    /// - Throws: what `row` threw, or ``PostgresError`` `.copyFailed` (with the server's
    ///   SQLSTATE where it sent one) or `.connectionFailed`.
    @discardableResult
    public func copyOut(_ copyStatement: String, row: (CopyRow) throws -> Void) throws -> Int {
        try startCopy(copyStatement, expecting: PGRES_COPY_OUT) { result in
            guard PQbinaryTuples(result) == 1 else {
                throw PostgresError(code: .copyFailed, message: "copyOut needs COPY … TO STDOUT (FORMAT binary)")
            }
        }
        var stream = CopyOutStream()
        do {
            try stream.run(connection: pointer, row: row)
        } catch {
            if stream.isOpen {
                abandonCopyOut()
            } else {
                drainResults()
            }
            throw error
        }
        // After a server error mid-stream the final result explains it, so read that first.
        try finishCopy()
        guard stream.parser.sawTrailer else {
            throw PostgresError(code: .copyFailed, message: "malformed binary COPY data: the stream ended without its trailer")
        }
        return stream.tuples
    }

    /// Sends a COPY statement and checks that the server entered the expected COPY state.
    /// On any other outcome the connection is returned to idle before throwing.
    func startCopy(
        _ copyStatement: String,
        expecting expected: ExecStatusType,
        check: (OpaquePointer) throws -> Void = { _ in }
    ) throws {
        guard !copyStatement.containsNUL else {
            throw PostgresError(code: .invalidArgument, message: "COPY statement contains a NUL character")
        }
        guard let result = PQexec(pointer, copyStatement) else {
            throw PostgresError(code: .copyFailed, connection: pointer)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case expected:
            do {
                try check(result)
            } catch {
                if status == PGRES_COPY_IN {
                    PQputCopyEnd(pointer, "rejected by the client")
                    drainResults()
                } else {
                    abandonCopyOut()
                }
                throw error
            }
        case PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopyOut()
            throw PostgresError(code: .copyFailed, message: "expected COPY FROM STDIN, got COPY TO STDOUT")
        case PGRES_COPY_IN:
            PQputCopyEnd(pointer, "expected COPY TO STDOUT")
            drainResults()
            throw PostgresError(code: .copyFailed, message: "expected COPY TO STDOUT, got COPY FROM STDIN")
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            throw PostgresError(code: .copyFailed, message: "the statement is not a COPY to or from the client")
        default:
            let code: PostgresError.Code = PQstatus(pointer) == CONNECTION_OK ? .copyFailed : .connectionFailed
            throw PostgresError(code: code, result: result, connection: pointer)
        }
    }

    /// Reads the COPY's final result after its data ended, then leaves the connection idle.
    func finishCopy() throws {
        guard let result = PQgetResult(pointer) else {
            throw PostgresError(code: .copyFailed, connection: pointer, context: "COPY ended without a result")
        }
        let status = PQresultStatus(result)
        let failure = status == PGRES_COMMAND_OK
            ? nil
            : PostgresError(
                code: PQstatus(pointer) == CONNECTION_OK ? .copyFailed : .connectionFailed,
                result: result,
                connection: pointer
            )
        PQclear(result)
        drainResults()
        if let failure { throw failure }
    }

    /// Stops a COPY TO STDOUT that is still sending: asks the server to cancel it (a new,
    /// short connection that `PQcancel` makes), discards what was already in flight, and
    /// reads the final (cancelled) result, leaving the connection idle.
    func abandonCopyOut() {
        if let cancel = PQgetCancel(pointer) {
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &message, Int32(message.count))
            PQfreeCancel(cancel)
        }
        var chunk: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(pointer, &chunk, 0) > 0 {
            PQfreemem(chunk)
            chunk = nil
        }
        drainResults()
    }
}

/// The receiving side of ``PostgresConnection/copyOut(_:row:)``: copies each CopyData
/// message into one reused buffer and hands out the complete tuples in it.
private struct CopyOutStream {
    /// True until libpq reported the end of the COPY data (or failed), so that an error
    /// thrown while it is still true means the COPY must be abandoned.
    var isOpen = true
    var tuples = 0
    var parser = BinaryCopyParser()

    mutating func run(connection: OpaquePointer, row: (CopyRow) throws -> Void) throws {
        // Locals rather than properties: the parse closure below mutates some of them while
        // `buffer` is being read, which exclusivity allows for distinct local variables.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var consumed = 0
        var fields: [Int] = []
        fields.reserveCapacity(64)
        var parser = self.parser
        defer { self.parser = parser }
        while true {
            var chunk: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &chunk, 0)
            guard length > 0, let chunk else {
                isOpen = false
                if length == -2 {
                    throw PostgresError(code: .copyFailed, connection: connection, context: "COPY data could not be read")
                }
                break
            }
            // Drop the bytes already parsed, keeping the start of an incomplete tuple.
            if consumed == buffer.count {
                buffer.removeAll(keepingCapacity: true)
            } else if consumed > 0 {
                buffer.removeSubrange(0..<consumed)
            }
            consumed = 0
            buffer.append(contentsOf: UnsafeRawBufferPointer(start: chunk, count: Int(length)))
            PQfreemem(chunk)
            while true {
                let step = try buffer.withUnsafeBufferPointer { bytes in
                    try parser.next(bytes, offset: &consumed, fields: &fields)
                }
                guard case .tuple(let fieldCount) = step else { break }
                try row(CopyRow(bytes: buffer, fields: fields, count: fieldCount))
                tuples += 1
            }
        }
        if parser.sawTrailer, consumed != buffer.count {
            throw PostgresError(code: .copyFailed, message: "malformed binary COPY data: \(buffer.count - consumed) bytes left over")
        }
    }
}
