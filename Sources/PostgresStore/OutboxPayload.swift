import Store

/// The framing of a batch's messages in one `outbox_batch.payload` (`ddl/030_boi_store.sql`):
/// per message, in order, the topic, the key (or none) and the value, each behind its length
/// as 4 big-endian bytes; a key length of `0xFFFFFFFF` stands for no key.
enum OutboxPayload {
    private static let noKey = UInt32.max

    static func encode(_ messages: [OutboxMessage]) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(messages.reduce(0) { $0 + 12 + $1.topic.utf8.count + ($1.key?.count ?? 0) + $1.value.count })
        for message in messages {
            append(length: message.topic.utf8.count, to: &payload)
            payload.append(contentsOf: message.topic.utf8)
            if let key = message.key {
                append(length: key.count, to: &payload)
                payload.append(contentsOf: key)
            } else {
                append(UInt32: noKey, to: &payload)
            }
            append(length: message.value.count, to: &payload)
            payload.append(contentsOf: message.value)
        }
        return payload
    }

    /// - Parameters:
    ///   - id: the row's id, which every message gets.
    ///   - count: how many messages the row says it holds.
    /// - Throws: ``PostgresStoreError`` `.corruptRow` naming the row when the framing does not
    ///   add up to exactly `count` messages.
    static func decode(_ payload: ArraySlice<UInt8>, id: Int64, count: Int) throws -> [OutboxMessage] {
        var reader = Reader(bytes: payload)
        var messages: [OutboxMessage] = []
        messages.reserveCapacity(count)
        func corrupt(_ what: String) -> PostgresStoreError {
            PostgresStoreError(code: .corruptRow, message: "outbox_batch row \(id): \(what)")
        }
        while messages.count < count {
            guard let topic = reader.field().map({ String(decoding: $0, as: UTF8.self) }) else {
                throw corrupt("message \(messages.count + 1) of \(count) has no topic")
            }
            guard let key = reader.optionalField(absent: noKey) else {
                throw corrupt("message \(messages.count + 1) of \(count) has a cut-off key")
            }
            guard let value = reader.field() else {
                throw corrupt("message \(messages.count + 1) of \(count) has a cut-off value")
            }
            messages.append(OutboxMessage(id: id, topic: topic, key: key, value: value))
        }
        guard reader.isAtEnd else { throw corrupt("bytes left after its \(count) messages") }
        return messages
    }

    private static func append(length: Int, to payload: inout [UInt8]) {
        append(UInt32: UInt32(truncatingIfNeeded: length), to: &payload)
    }

    private static func append(UInt32 value: UInt32, to payload: inout [UInt8]) {
        payload.append(UInt8(truncatingIfNeeded: value >> 24))
        payload.append(UInt8(truncatingIfNeeded: value >> 16))
        payload.append(UInt8(truncatingIfNeeded: value >> 8))
        payload.append(UInt8(truncatingIfNeeded: value))
    }

    /// Reads length-prefixed fields front to back; every read checks the bounds.
    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var isAtEnd: Bool { index == bytes.endIndex }

        mutating func length() -> UInt32? {
            guard bytes.endIndex - index >= 4 else { return nil }
            defer { index += 4 }
            return bytes[index..<index + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func field() -> [UInt8]? {
            guard let length = length().map(Int.init), bytes.endIndex - index >= length else { return nil }
            defer { index += length }
            return Array(bytes[index..<index + length])
        }

        /// `.some(nil)` for the absent marker, `nil` when the bytes run out.
        mutating func optionalField(absent: UInt32) -> [UInt8]?? {
            let start = index
            guard let length = length() else { return nil }
            if length == absent { return .some(nil) }
            index = start
            return field().map { .some($0) }
        }
    }
}
