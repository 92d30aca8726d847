import Domain
import Foundation
import Kafka

/// A message of `IN_MIGRATION`, decoded, or refused with the reason.
enum DecodedMessage: Sendable {
    case record(DecodedRecord)
    case marker(RefCheckMarker)
    case malformed(Rejection)

    /// Decodes a batch, in one task per core: parsing is the largest part of a batch's work
    /// that needs no store, and done before the transaction it keeps the store's thread idle
    /// for less time.
    static func decode(_ messages: [KafkaMessage]) async -> [DecodedMessage] {
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, messages.count / 256))
        let chunkSize = (messages.count + chunkCount - 1) / max(chunkCount, 1)
        return await withTaskGroup(of: (Int, [DecodedMessage]).self) { group in
            for chunk in 0..<chunkCount {
                let part = messages[min(chunk * chunkSize, messages.count)..<min((chunk + 1) * chunkSize, messages.count)]
                group.addTask {
                    // A row gets room for as many columns as the row before it: one table's
                    // records mostly follow each other, and room for a fixed sixteen was twice
                    // what the benchmark's rows need.
                    var rowColumns = JSONParser.objectCapacity
                    var shapes = JSONShapes()
                    let decoded = part.map { message in
                        let decoded = decode(message, rowColumns: rowColumns, shapes: &shapes)
                        if case .record(let record) = decoded { rowColumns = record.message.row.count }
                        return decoded
                    }
                    return (chunk, decoded)
                }
            }
            var parts = [[DecodedMessage]](repeating: [], count: chunkCount)
            for await (chunk, decoded) in group { parts[chunk] = decoded }
            return parts.flatMap { $0 }
        }
    }

    /// Decodes one message; a message that is not one of ours is refused, never dropped.
    /// - Parameters:
    ///   - rowColumns: the columns its row likely has.
    ///   - shapes: what the parser remembers of the messages decoded before it.
    static func decode(
        _ message: KafkaMessage, rowColumns: Int = JSONParser.objectCapacity, shapes: inout JSONShapes
    ) -> DecodedMessage {
        let members: [(name: String, value: JSONValue)]
        let texts: JSONTextSummary
        do {
            guard
                let object = try JSONParser.parseMembersSummarized(
                    message.value, objectCapacity: rowColumns, shapes: &shapes)
            else {
                let json = try JSONParser.parse(message.value)
                return refuse(message, members: [], field: nil, reason: "expected a JSON object, found \(json.kindName)")
            }
            (members, texts) = object
        } catch {
            return refuse(message, members: [], field: nil, reason: "not valid JSON: \(error)")
        }
        do {
            switch try InMigrationMessage(members: members) {
            case .record(let record): return .record(DecodedRecord(record, raw: message.value, texts: texts))
            case .refCheck(let marker): return .marker(marker)
            }
        } catch {
            return refuse(message, members: members, field: error.field, reason: error.reason)
        }
    }

    /// The rejection, with whatever could still be read from the message (its migration,
    /// table and externalId) to file it under.
    private static func refuse(
        _ message: KafkaMessage, members: [(name: String, value: JSONValue)], field: String?, reason: String
    ) -> DecodedMessage {
        // A text holding U+0000 cannot name the record in the store: such a record is filed unnamed.
        func text(_ name: String) -> String? {
            members.last { $0.name == name }?.value.stringValue.flatMap { $0.containsNUL ? nil : $0 }
        }
        return .malformed(
            Rejection(
                error: RecordError(
                    migrationID: text("migrationId").map(MigrationID.init) ?? MigrationID(rawValue: "(unknown)"),
                    stage: .consume, table: text("table"), externalID: text("externalId"),
                    field: field, reason: "malformed message at \(message.topic)[\(message.partition)]@\(message.offset): \(reason)",
                    raw: RecordError.excerpt(message.value)),
                raw: message.value))
    }
}

/// A record as read from its message, with the message's bytes (for a rejection's excerpt and
/// the dead letter) and what its strings were like (``JSONTextSummary``).
///
/// A class, not a struct: a batch's records pass through several steps (the keys to read, the
/// references waiting, the assembler), and each step that took a record out of a struct copied
/// all of its fields, retaining and releasing each one; a class is taken out with one retain.
/// Every property is a constant of a `Sendable` type, so the class is `Sendable` as it stands.
final class DecodedRecord: Sendable {
    let message: RecordMessage
    let raw: [UInt8]
    let texts: JSONTextSummary

    init(_ message: RecordMessage, raw: [UInt8], texts: JSONTextSummary) {
        self.message = message
        self.raw = raw
        self.texts = texts
    }

    // Taken out of the class, the message is copied whole before a call; used from in here, it
    // is lent as it lies. Hence these three, for the steps a batch takes on every record.

    /// Applies the record (``Assembler/apply(_:raw:texts:to:)``).
    func apply(with assembler: Assembler, to set: inout WorkingSet) {
        assembler.apply(message, raw: raw, texts: texts, to: &set)
    }

    /// Adds what the record needs from the store (``PreloadCollector``).
    func add(to collector: inout PreloadCollector) {
        collector.add(message)
    }

    /// The instance the record is for (``Assembler/key(of:)``).
    func key(in assembler: Assembler) -> BOKey? {
        assembler.key(of: message)
    }
}
