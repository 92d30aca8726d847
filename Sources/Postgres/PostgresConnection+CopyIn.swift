import CLibPQ

extension PostgresConnection {
    /// Bulk-loads rows with `COPY … FROM STDIN` in text format, sending them in batches of
    /// about 64 KiB as the sequence produces them.
    ///
    /// Values are PostgreSQL's text format, nil for NULL; escaping is done here. A row with
    /// the wrong number of fields, or a value the column type rejects, fails the whole COPY:
    /// nothing is loaded.
    /// - Parameters:
    ///   - copyStatement: e.g. `COPY "t" ("a", "b") FROM STDIN`, without a FORMAT other
    ///     than text. Quote names with ``quoteIdentifier(_:)``.
    ///   - rows: the rows, each with one value per column named.
    /// - Returns: the number of rows the server loaded.
    /// - Throws: ``PostgresError`` `.copyFailed` with the server's SQLSTATE where it sent one.
    @discardableResult
    public func copyIn(_ copyStatement: String, rows: some Sequence<[String?]>) throws -> Int {
        try startCopy(copyStatement, expecting: PGRES_COPY_IN) { result in
            guard PQbinaryTuples(result) == 0 else {
                throw PostgresError(code: .copyFailed, message: "copyIn sends text format, not FORMAT binary")
            }
        }
        try send(rows, between: [], and: []) { row, buffer in CopyTextEncoder.append(row, to: &buffer) }
        return try finishCopyIn()
    }

    /// Bulk-loads rows with `COPY … FROM STDIN (FORMAT binary)`, sending them in batches of
    /// about 64 KiB as the sequence produces them.
    ///
    /// Each value is in its column's binary format (``CopyBinaryValue``), so nothing is escaped
    /// or rendered as text on either side. As with ``copyIn(_:rows:)``, a bad row or value fails
    /// the whole COPY and nothing is loaded; a row refused on our side (text with NUL) ends the
    /// COPY before anything is committed.
    /// - Parameters:
    ///   - copyStatement: e.g. `COPY "t" ("a", "b") FROM STDIN (FORMAT binary)`.
    ///   - rows: the rows, each with one value per column named, of the column's type.
    /// - Returns: the number of rows the server loaded.
    /// - Throws: ``PostgresError`` `.invalidArgument` for a value that cannot be sent,
    ///   `.copyFailed` with the server's SQLSTATE, constraint and detail where it sent them.
    @discardableResult
    public func copyIn(binary copyStatement: String, rows: some Sequence<[CopyBinaryValue]>) throws -> Int {
        try copyInBinary(copyStatement, rows: rows)
    }

    /// ``copyIn(binary:rows:)`` for rows in an array. Generic code over a sequence is not
    /// specialized for a caller in another module: stepping through its rows went through the
    /// sequence's witnesses and metadata, and cost as much as encoding them.
    @discardableResult
    public func copyIn(binary copyStatement: String, rows: [[CopyBinaryValue]]) throws -> Int {
        try copyInBinary(copyStatement, rows: rows)
    }

    private func copyInBinary(_ copyStatement: String, rows: some Sequence<[CopyBinaryValue]>) throws -> Int {
        try startCopy(copyStatement, expecting: PGRES_COPY_IN) { result in
            guard PQbinaryTuples(result) == 1 else {
                throw PostgresError(code: .copyFailed, message: "copyIn(binary:) needs COPY … FROM STDIN (FORMAT binary)")
            }
        }
        try send(rows, between: CopyBinaryEncoder.header, and: CopyBinaryEncoder.trailer) { row, buffer in
            try CopyBinaryEncoder.append(row, to: &buffer)
        }
        return try finishCopyIn()
    }

    /// Sends the COPY data: `header`, the rows as `encode` writes them, `trailer`, in batches of
    /// about 64 KiB, then the end of the data. A row `encode` refuses ends the COPY with an
    /// error, so that nothing is loaded, and is rethrown.
    private func send<Row>(
        _ rows: some Sequence<Row>, between header: [UInt8], and trailer: [UInt8],
        encode: (Row, inout [UInt8]) throws -> Void
    ) throws {
        let batchSize = 1 << 16
        var buffer: [UInt8] = []
        buffer.reserveCapacity(batchSize + 4096)
        buffer.append(contentsOf: header)
        var sent = true
        do {
            for row in rows {
                try encode(row, &buffer)
                if buffer.count >= batchSize {
                    sent = send(buffer)
                    buffer.removeAll(keepingCapacity: true)
                    guard sent else { break }
                }
            }
        } catch {
            PQputCopyEnd(pointer, "a row could not be sent")
            drainResults()
            throw error
        }
        buffer.append(contentsOf: trailer)
        if sent, !buffer.isEmpty {
            sent = send(buffer)
        }
        // A send fails when the server already ended the COPY with an error: its result,
        // read by finishCopyIn, says why. Otherwise tell the server the data is complete.
        if sent, PQputCopyEnd(pointer, nil) != 1 {
            throw PostgresError(code: .copyFailed, connection: pointer, context: "could not end COPY")
        }
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(pointer, chars.baseAddress, Int32(chars.count)) == 1
            }
        }
    }

    private func finishCopyIn() throws -> Int {
        guard let result = PQgetResult(pointer) else {
            throw PostgresError(code: .copyFailed, connection: pointer, context: "COPY ended without a result")
        }
        defer {
            PQclear(result)
            drainResults()
        }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            let code: PostgresError.Code = PQstatus(pointer) == CONNECTION_OK ? .copyFailed : .connectionFailed
            throw PostgresError(code: code, result: result, connection: pointer)
        }
        return PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }
}
