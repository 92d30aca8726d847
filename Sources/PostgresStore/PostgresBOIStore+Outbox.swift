import Postgres
import Store

extension PostgresBOIStore {
    /// Committed outgoing messages, in id order and each entry's own order: whole entries until
    /// `limit` messages are reached (the first one whatever its size).
    ///
    /// Read by a binary `COPY`, so that the payloads (about a megabyte a batch) arrive as their
    /// bytes: as the text of a query's result the server wrote each one out in hex and the relay
    /// read it back, twice the bytes and a pass over every byte on either side.
    public func pendingOutbox(limit: Int) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        // The running count reads only the small columns; the join fetches (and de-TOASTs) the
        // payloads of the entries taken, not of every pending one. COPY takes no parameters:
        // the limit is an integer written into the statement.
        let statement = """
            COPY (
                WITH numbered AS (
                    SELECT id, messages, sum(messages) OVER (ORDER BY id) - messages AS before
                    FROM \(tables.outbox)
                )
                SELECT o.id, o.messages, o.payload
                FROM numbered n JOIN \(tables.outbox) o ON o.id = n.id
                WHERE n.before = 0 OR n.before < \(limit)
                ORDER BY o.id
            ) TO STDOUT (FORMAT binary)
            """
        return try await client.withConnection { connection in
            var messages: [OutboxMessage] = []
            try connection.copyOut(statement) { row in
                guard row.count == 3, let id = row[0].flatMap(Self.bigEndian) else {
                    throw PostgresStoreError(code: .corruptRow, message: "an outbox row without its id")
                }
                guard let count = row[1].flatMap(Self.bigEndian), let payload = row[2] else {
                    throw PostgresStoreError(code: .corruptRow, message: "outbox row \(id) lacks its count or payload")
                }
                messages += try OutboxPayload.decode(payload, id: id, count: Int(count))
            }
            return messages
        }
    }

    /// An `int8` or `int4` in its binary form: its bytes, most significant first.
    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int64? {
        switch bytes.count {
        case 8: return bytes.reduce(0) { $0 << 8 | Int64($1) }
        case 4: return Int64(Int32(bitPattern: bytes.reduce(0) { $0 << 8 | UInt32($1) }))
        default: return nil
        }
    }

    /// Deletes published entries; ids no longer present are ignored, so a retry is harmless.
    public func removeOutbox(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await client.execute(
            "DELETE FROM \(tables.outbox) WHERE id = ANY($1::bigint[])", [PostgresArray.text(ids.map(String.init))])
    }
}

extension PostgresBOIStore {
    /// Whether a message with an id up to `id` is still in the outbox.
    public func outboxHasPending(upTo id: Int64, except: [Int64]) async throws -> Bool {
        let rows = try await client.execute(
            "SELECT EXISTS (SELECT 1 FROM \(tables.outbox) WHERE id <= $1 AND id <> ALL ($2::bigint[])) AS pending",
            [String(id), PostgresArray.text(except.map(String.init))])
        return rows.first?.bool("pending") ?? false
    }

    /// A session-level advisory lock on the client's connection, per schema: held until the
    /// process ends or its connection does, when the server releases it and another process may
    /// take over. Asking again while holding it answers `true` (the lock is re-entrant); after a
    /// reconnect it is asked for anew.
    public func acquireOutboxRelay() async throws -> Bool {
        let rows = try await client.execute(
            "SELECT pg_try_advisory_lock(hashtext('inmigration.outbox_relay'), hashtext($1)) AS acquired",
            [tables.schemaName])
        return rows.first?.bool("acquired") ?? false
    }
}
