import Postgres
import Store

extension PostgresBOIStore {
    /// Committed outgoing messages, in id order, which is the order each batch gave them in.
    public func pendingOutbox(limit: Int) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let rows = try await client.execute(
            """
            SELECT id, topic, encode(key, 'hex') AS key, encode(value, 'hex') AS value
            FROM \(tables.outbox) ORDER BY id LIMIT $1
            """,
            [String(limit)])
        return try rows.map { row in
            guard let id = row.int64("id"), let topic = row["topic"], let value = row["value"].flatMap(ByteaHex.decode)
            else {
                throw PostgresStoreError(code: .corruptRow, message: "incomplete outbox row \(row["id"] ?? "?")")
            }
            let key: [UInt8]?
            if let hex = row["key"] {
                guard let bytes = ByteaHex.decode(hex) else {
                    throw PostgresStoreError(code: .corruptRow, message: "outbox row \(id) has an unreadable key")
                }
                key = bytes
            } else {
                key = nil
            }
            return OutboxMessage(id: id, topic: topic, key: key, value: value)
        }
    }

    /// Deletes published messages; ids no longer present are ignored, so a retry is harmless.
    public func removeOutbox(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await client.execute(
            "DELETE FROM \(tables.outbox) WHERE id = ANY($1::bigint[])", [PostgresArray.text(ids.map(String.init))])
    }
}

extension PostgresBOIStore {
    /// Whether a message with an id up to `id` is still in the outbox.
    public func outboxHasPending(upTo id: Int64) async throws -> Bool {
        let rows = try await client.execute(
            "SELECT EXISTS (SELECT 1 FROM \(tables.outbox) WHERE id <= $1) AS pending", [String(id)])
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
