@testable import Consumer
import Domain
import Kafka
import Testing

@Suite("Consumer: decoding a message")
struct MessageDecodingTests {
    struct NotRefused: Error {
        let text: String
    }

    static func message(_ text: String) -> KafkaMessage {
        KafkaMessage(topic: "IN_MIGRATION", partition: 3, offset: 17, key: nil, value: Array(text.utf8))
    }

    static func decode(_ message: KafkaMessage) -> DecodedMessage {
        var shapes = JSONShapes()
        return DecodedMessage.decode(message, shapes: &shapes)
    }

    static func rejection(_ text: String) throws -> RecordError {
        guard case .malformed(let rejection) = Self.decode(message(text)) else {
            throw NotRefused(text: text)
        }
        #expect(rejection.raw == Array(text.utf8))
        return rejection.error
    }

    @Test func aRecordWithItsRowAndChildren() throws {
        let text = #"""
            {"kind":"record","migrationId":"m-1","operDate":"2026-11-20","bo":"Person","table":"in_person",
             "externalId":"P-1","row":{"iin":"1","n":2},"children":{"phones":[{"number":"+7"}]}}
            """#
        guard case .record(let decoded) = Self.decode(Self.message(text)) else {
            Issue.record("not decoded as a record")
            return
        }
        let record = decoded.message
        #expect(decoded.raw == Array(text.utf8))
        #expect(record.migrationId == MigrationID(rawValue: "m-1"))
        #expect(record.bo == "Person")
        #expect(record.externalId == "P-1")
        #expect(record.row == ["iin": .string("1"), "n": .number(2)])
        #expect(record.children == ["phones": [.object(["number": .string("+7")])]])
    }

    /// The envelope's texts name the record in the store, which cannot hold U+0000: such a message
    /// is refused, naming the field, and filed without the text that cannot be stored.
    @Test func anEnvelopeTextWithTheNULCharacterIsRefused() throws {
        let text = #"""
            {"kind":"record","migrationId":"m-1","operDate":"2026-11-20","bo":"Person","table":"in_\u0000person",
             "externalId":"P-1","row":{}}
            """#
        let error = try Self.rejection(text)
        #expect(error.field == "table")
        #expect(error.reason.contains("U+0000"))
        #expect(error.table == nil)
        #expect(error.migrationID == MigrationID(rawValue: "m-1"))
    }

    /// A name given twice counts as given last, as it does in a JSON object.
    @Test func theLastOfTwoEqualNamesCounts() {
        let text = #"""
            {"kind":"record","migrationId":"m-1","operDate":"2026-11-20","bo":"Person","table":"in_person",
             "externalId":"P-1","externalId":"P-2","row":{}}
            """#
        guard case .record(let decoded) = Self.decode(Self.message(text)) else {
            Issue.record("not decoded as a record")
            return
        }
        #expect(decoded.message.externalId == "P-2")
    }

    @Test func notJSONOrNotAnObjectIsRefusedWithTheReason() throws {
        let broken = try Self.rejection(#"{"kind":"record""#)
        #expect(broken.reason.contains("not valid JSON"))
        #expect(broken.reason.contains("IN_MIGRATION[3]@17"))
        #expect(broken.migrationID == MigrationID(rawValue: "(unknown)"))
        let array = try Self.rejection("[1, 2]")
        #expect(array.reason.contains("expected a JSON object, found an array"))
        #expect(array.field == nil)
    }

    /// A record refused for one field is still filed under what it says of itself.
    @Test func aRefusedRecordIsFiledUnderItsMigrationTableAndExternalId() throws {
        let error = try Self.rejection(
            #"{"kind":"record","migrationId":"m-9","operDate":"2026-11-20","bo":"Person","table":"in_person","externalId":"P-5"}"#
        )
        #expect(error.field == "row")
        #expect(error.migrationID == MigrationID(rawValue: "m-9"))
        #expect(error.table == "in_person")
        #expect(error.externalID == "P-5")
        #expect(error.stage == .consume)
    }
}
