import Domain
import Foundation
import Testing

@Suite("Record message encoding")
struct RecordMessageEncoderTests {
    let encoder = RecordMessage.Encoder(
        migrationId: MigrationID(rawValue: "mig-1"), operDate: OperDate(rawValue: "2026-11-20")!, bo: "Person",
        table: "in_person")

    private func encode(
        _ externalId: String?, uniqueKey: String? = nil, row: String, children: String? = nil
    ) -> (value: [UInt8], key: [UInt8]) {
        func bytes(_ text: String) -> ArraySlice<UInt8> { ArraySlice(Array(text.utf8)) }
        var value: [UInt8] = []
        var key: [UInt8] = []
        encoder.encode(
            externalId: externalId.map(bytes), uniqueKey: uniqueKey.map(bytes), row: bytes(row),
            children: children.map(bytes), value: &value, key: &key)
        return (value, key)
    }

    @Test func encodesARecordThatDecodesBack() throws {
        let (value, key) = encode(
            "P-1", row: #"{"external_id":"P-1","name":"Ann \"A\" \\ B","n":3}"#,
            children: #"{"phones":[{"number":"+7"}]}"#)
        #expect(String(decoding: key, as: UTF8.self) == "Person:P-1")
        let message = try JSONDecoder().decode(InMigrationMessage.self, from: Data(value))
        guard case .record(let record) = message else {
            Issue.record("decoded \(message), not a record")
            return
        }
        #expect(record.migrationId.rawValue == "mig-1")
        #expect(record.operDate.rawValue == "2026-11-20")
        #expect(record.bo == "Person")
        #expect(record.table == "in_person")
        #expect(record.externalId == "P-1")
        #expect(record.row["name"] == .string(#"Ann "A" \ B"#))
        #expect(record.row["n"] == .number(3))
        #expect(record.children?["phones"] == [.object(["number": .string("+7")])])
    }

    @Test func escapesAnExternalIdThatNeedsIt() throws {
        let tricky = "a\"b\\c\nd\u{01}é"
        let (value, key) = encode(tricky, row: "{}")
        #expect(String(decoding: key, as: UTF8.self) == "Person:" + tricky)
        let message = try JSONDecoder().decode(RecordMessage.self, from: Data(value))
        #expect(message.externalId == tricky)
    }

    @Test func aMissingExternalIdIsNullWithAnEmptyKey() throws {
        let (value, key) = encode(nil, row: #"{"x":null}"#)
        #expect(key.isEmpty)
        let message = try JSONDecoder().decode(RecordMessage.self, from: Data(value))
        #expect(message.externalId == nil)
        #expect(message.children == nil)
    }

    @Test func aUniqueKeyValueKeysTheMessage() throws {
        let (value, key) = encode("P-1", uniqueKey: "900101300001", row: #"{"iin":"900101300001"}"#)
        #expect(String(decoding: key, as: UTF8.self) == "Person=900101300001")
        let message = try JSONDecoder().decode(RecordMessage.self, from: Data(value))
        #expect(message.externalId == "P-1")
        #expect(message.row["iin"] == .string("900101300001"))
    }

    @Test func recordsWithEqualUniqueKeysShareTheKeyWhateverTheirExternalId() {
        let first = encode("P-1", uniqueKey: #"["A", 7]"#, row: "{}")
        let second = encode("DUP-P-1", uniqueKey: #"["A", 7]"#, row: "{}")
        #expect(first.key == second.key)
        #expect(String(decoding: first.key, as: UTF8.self) == #"Person=["A", 7]"#)
        #expect(encode("P-1", uniqueKey: #"["B", 7]"#, row: "{}").key != first.key)
    }

    @Test func aUniqueKeyKeysEvenARecordWithoutExternalId() throws {
        let (value, key) = encode(nil, uniqueKey: "X", row: "{}")
        #expect(String(decoding: key, as: UTF8.self) == "Person=X")
        #expect(try JSONDecoder().decode(RecordMessage.self, from: Data(value)).externalId == nil)
    }

    @Test func buffersAreReusedNotAppended() {
        var value: [UInt8] = []
        var key: [UInt8] = []
        for id in ["first-long-id", "x"] {
            encoder.encode(
                externalId: ArraySlice(Array(id.utf8)), row: ArraySlice(Array("{}".utf8)), children: nil, value: &value,
                key: &key)
        }
        #expect(String(decoding: key, as: UTF8.self) == "Person:x")
        #expect(!String(decoding: value, as: UTF8.self).contains("first-long-id"))
        encoder.encode(
            externalId: ArraySlice(Array("y".utf8)), uniqueKey: ArraySlice(Array(#"["k"]"#.utf8)),
            row: ArraySlice(Array("{}".utf8)), children: nil, value: &value, key: &key)
        #expect(String(decoding: key, as: UTF8.self) == #"Person=["k"]"#)
        encoder.encode(
            externalId: ArraySlice(Array("z".utf8)), row: ArraySlice(Array("{}".utf8)), children: nil, value: &value,
            key: &key)
        #expect(String(decoding: key, as: UTF8.self) == "Person:z")
    }

    @Test func refCheckMarkerRoundTrips() throws {
        let marker = RefCheckMarker(
            migrationId: MigrationID(rawValue: "m"), operDate: OperDate(rawValue: "2026-01-31")!, partition: 2,
            partitions: 8, records: 42)
        let data = try JSONEncoder().encode(marker)
        #expect(try JSONDecoder().decode(InMigrationMessage.self, from: data) == .refCheck(marker))
    }
}
