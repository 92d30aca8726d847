import Domain
import Postgres
@testable import PostgresStore
import Store
import Testing

/// What the store sends and names, checked without a server.
struct EncodingTests {
    @Test func arrayLiteralsQuoteEscapeAndKeepNull() {
        let elements: [String?] = ["plain", "with \"quotes\"", "back\\slash", "", nil, "ünï 😀", "{,}", "NULL", "\\\""]
        #expect(
            PostgresArray.text(elements)
                == #"{"plain","with \"quotes\"","back\\slash","",NULL,"ünï 😀","{,}","NULL","\\\""}"#)
        #expect(PostgresArray.text([String]()) == "{}")
        #expect(PostgresArray.text(["a"]) == #"{"a"}"#)
    }

    @Test func outboxPayloadFramesMessagesInOrder() throws {
        let messages = [
            OutboxMessage(topic: "BOI", key: Array("boi-1".utf8), value: Array(#"{"n":1}"#.utf8)),
            OutboxMessage(topic: "IN_MIGRATION_DLQ", key: nil, value: [0x00, 0xFF]),
            OutboxMessage(topic: "BOI", key: [], value: []),
            OutboxMessage(topic: "ünï", key: [0xFF, 0xFF, 0xFF, 0xFF], value: Array(repeating: 7, count: 70_000)),
        ]
        let payload = OutboxPayload.encode(messages)
        let expected = messages.map { OutboxMessage(id: 42, topic: $0.topic, key: $0.key, value: $0.value) }
        #expect(try OutboxPayload.decode(payload[...], id: 42, count: messages.count) == expected)
        // As a COPY row lends it: a slice of a buffer that holds more before and after it.
        let row = [0, 0, 0, 3, 1, 2] + payload + [0xFF, 0xFF]
        #expect(try OutboxPayload.decode(row[6..<(6 + payload.count)], id: 42, count: messages.count) == expected)
    }

    @Test func outboxPayloadThatDoesNotAddUpNamesTheRow() {
        let payload = OutboxPayload.encode([OutboxMessage(topic: "BOI", key: nil, value: [1, 2, 3])])
        for (bytes, count, reason) in [
            (Array(payload.dropLast()), 1, "cut-off value"), (payload, 2, "message 2 of 2 has no topic"),
            (payload + [0], 1, "bytes left after its 1 messages"), (Array(payload.prefix(9)), 1, "cut-off key"),
        ] {
            #expect {
                try OutboxPayload.decode(([5] + bytes + [5]).dropFirst().dropLast(), id: 7, count: count)
            } throws: { error in
                "\(error)".contains("outbox_batch row 7") && "\(error)".contains(reason)
            }
        }
    }

    @Test func documentsRoundTripThroughJSON() throws {
        let document: JSONObject = [
            "text": .string("«ü» \"q\" \\ \n\t\u{1} 😀"), "int": .number(900_101_300_001), "negative": .number(-3),
            "fraction": .number(0.1), "huge": .number(1e300), "flag": .bool(false), "none": .null,
            "list": .array([.number(1), .string("two"), .array([]), .object([:])]),
            "object": .object(["nested": .object(["deep": .bool(true)])]),
        ]
        let json = JSONText.object(document)
        #expect(try DocumentJSON.decode(String(decoding: json, as: UTF8.self)) == document)
        let big = try #require(JSONNumber("12345678901234567891"))
        let integers = JSONText.object(["n": .number(42), "big": .number(big), "scaled": .number(JSONNumber("5785.00")!)])
        let text = String(decoding: integers, as: UTF8.self)
        #expect(text == #"{"big":12345678901234567891,"n":42,"scaled":5785.00}"#)
        #expect(throws: PostgresStoreError.self) { try DocumentJSON.decode("[1]") }
    }

    @Test func uniqueKeyIndexNamesAreShortStableAndDistinct() {
        let person = UniqueKeyIndex(bo: "Person", fields: ["iin"])
        #expect(person.name == UniqueKeyIndex(bo: "Person", fields: ["iin"]).name)
        #expect(person.name.hasPrefix("boi_uk_person_"))
        #expect(person.name != UniqueKeyIndex(bo: "person", fields: ["iin"]).name)
        #expect(person.name != UniqueKeyIndex(bo: "Person", fields: ["iin", "x"]).name)
        #expect(
            UniqueKeyIndex(bo: "Person", fields: ["a", "bc"]).name != UniqueKeyIndex(bo: "Person", fields: ["ab", "c"]).name)
        let long = UniqueKeyIndex(bo: BOCode(String(repeating: "Ж", count: 200)), fields: ["x"])
        #expect(long.name.utf8.count <= 63)
        #expect(UniqueKeyIndex.fromComment(#"{"bo":"Person","fields":["iin"]}"#) == person)
        #expect(UniqueKeyIndex.fromComment("something else") == nil)
    }

    @Test func mappingKeysAreCollectedOnceAndRefusedBOsSkipped() {
        let mapping = MigrationMapping(tables: [
            TableMapping(table: "a", bo: "Person", externalId: "id", uniqueKeys: [["iin"], []]),
            TableMapping(table: "b", bo: "Person", externalId: "id", uniqueKeys: [["iin"]]),
            TableMapping(table: "c", bo: "Company", externalId: "id", uniqueKeys: [["bin"]]),
        ])
        #expect(UniqueKeyIndex.all(in: mapping) == [UniqueKeyIndex(bo: "Person", fields: ["iin"])])
    }
}
