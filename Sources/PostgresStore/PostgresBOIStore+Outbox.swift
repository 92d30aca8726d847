import Postgres
import Store

extension PostgresBOIStore {
    /// Committed outgoing messages, in id order and each entry's own order: whole entries until
    /// `limit` messages are reached (the first one whatever its size).
    public func pendingOutbox(limit: Int) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        // The running count reads only the small columns; the join fetches (and de-TOASTs) the
        // payloads of the entries taken, not of every pending one.
        let rows = try await client.execute(
            """
            WITH numbered AS (
                SELECT id, messages, sum(messages) OVER (ORDER BY id) - messages AS before
                FROM \(tables.outbox)
            )
            SELECT o.id, o.messages, encode(o.payload, 'hex') AS payload
            FROM numbered n JOIN \(tables.outbox) o ON o.id = n.id
            WHERE n.before = 0 OR n.before < $1
            ORDER BY o.id
            """,
            [String(limit)])
        var messages: [OutboxMessage] = []
        for row in rows {
            guard let id = row.int64("id"), let count = row.int("messages") else {
                throw PostgresStoreError(code: .corruptRow, message: "incomplete outbox row \(row["id"] ?? "?")")
            }
            guard let payload = row["payload"].flatMap(ByteaHex.decode) else {
                throw PostgresStoreError(code: .corruptRow, message: "outbox row \(id) has an unreadable payload")
            }
            messages += try OutboxPayload.decode(payload, id: id, count: count)
        }
        return messages
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
