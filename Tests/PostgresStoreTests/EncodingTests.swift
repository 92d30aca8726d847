import Domain
import Postgres
@testable import PostgresStore
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

    @Test func byteaTravelsAsEscapedHex() {
        var array = PostgresArray()
        array.append(bytea: [0x00, 0xAB, 0xFF])
        array.append(bytea: nil)
        array.append(bytea: [])
        #expect(array.literal == #"{"\\x00abff",NULL,"\\x"}"#)
        #expect(ByteaHex.decode("00abFF") == [0x00, 0xAB, 0xFF])
        #expect(ByteaHex.decode("0") == nil)
        #expect(ByteaHex.decode("zz") == nil)
    }

    @Test func documentsRoundTripThroughJSON() throws {
        let document: [String: JSONValue] = [
            "text": .string("«ü» \"q\" \\ \n\t\u{1} 😀"), "int": .number(900_101_300_001), "negative": .number(-3),
            "fraction": .number(0.1), "huge": .number(1e300), "flag": .bool(false), "none": .null,
            "list": .array([.number(1), .string("two"), .array([]), .object([:])]),
            "object": .object(["nested": .object(["deep": .bool(true)])]),
        ]
        var json: [UInt8] = []
        JSONText.appendObject(document, to: &json)
        #expect(try DocumentJSON.decode(String(decoding: json, as: UTF8.self)) == document)
        var integers: [UInt8] = []
        JSONText.appendObject(["n": .number(42), "m": .number(.infinity)], to: &integers)
        let text = String(decoding: integers, as: UTF8.self)
        #expect(text.contains(#""n":42"#) && text.contains(#""m":null"#))
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
