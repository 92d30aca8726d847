import Domain
import Foundation
import Testing

/// Documents and events are written eight bytes at a time where no byte needs an escape: every
/// byte that does must be escaped wherever it falls in a word, and nothing else changed.
@Suite("JSON writing")
struct JSONWriterTests {
    /// What JSON requires of a string, byte by byte: the writer's output must be exactly this.
    private static func expected(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20:
                let hex = Array("0123456789abcdef")
                out += "\\u00\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            default: out += String(decoding: [byte], as: UTF8.self)
            }
        }
        return out + "\""
    }

    private static func written(_ text: String) -> String {
        String(decoding: JSONText.object(["k": .string(text)]), as: UTF8.self)
    }

    @Test func everyByteThatNeedsAnEscapeIsEscapedAtEveryPositionOfAWord() throws {
        let specials: [UInt8] = Array(0..<0x20) + [UInt8(ascii: "\""), UInt8(ascii: "\\")]
        for special in specials {
            for length in [1, 7, 8, 9, 15, 16, 17, 24] {
                for position in 0..<length {
                    var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = special
                    let text = String(decoding: bytes, as: UTF8.self)
                    #expect(Self.written(text) == "{\"k\":\(Self.expected(text))}", "byte \(special) at \(position) of \(length)")
                    #expect(try JSONParser.parse(Array(Self.written(text).utf8))["k"] == .string(text))
                }
            }
        }
    }

    /// Bytes of 0x80 and above (every non-ASCII character) and the bytes next to the specials in
    /// value (`!`, `#`, `[`, `]`, space, DEL) pass unchanged.
    @Test func textThatNeedsNoEscapeIsCopiedAsItIs() throws {
        let texts = [
            "", "plain ascii text of some length", "ü😀 Д-7 ǅ 中文 ♥", "!#[]] \u{7F}\u{7F}\u{80}\u{FF}",
            String(repeating: "é", count: 40), "P-12345", String(repeating: "x", count: 5_000),
        ]
        for text in texts {
            #expect(Self.written(text) == "{\"k\":\"\(text)\"}")
            #expect(try JSONParser.parse(Array(Self.written(text).utf8))["k"] == .string(text))
        }
    }

    @Test func valuesOfEveryKindAndLargeDocumentsAreWrittenWhole() throws {
        let rows: [JSONValue] = (0..<300).map { .object(["n": .number(JSONNumber(Double($0))), "s": .string("row \"\($0)\"")]) }
        let document: JSONObject = [
            "array": .array(rows), "false": .bool(false), "null": .null, "number": .number(JSONNumber("-12.5e3")!),
            "object": .object(["inner": .string("a\nb")]), "true": .bool(true),
        ]
        let json = JSONText.object(document)
        #expect(json.count > 512 * 4)
        #expect(try JSONParser.parse(json) == .object(document))
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.hasPrefix(#"{"array":[{"n":0,"s":"row \"0\""},{"n":1,"s":"row \"1\""},{"n":2,"#))
        #expect(text.hasSuffix(#"{"n":299,"s":"row \"299\""}],"false":false,"null":null,"number":-12.5e3,"object":{"inner":"a\nb"},"true":true}"#))
    }

    /// The event id is written from the instance's id and version; an id that needs escapes (no
    /// derived id does, a stored one might) is escaped in it too.
    @Test(arguments: [Int64.min, -1, 0, 7, 10, 999, 1_000_000_007, .max])
    func eventsAreWhatJSONEncoderWritesWhateverTheVersion(_ version: Int64) throws {
        let instance = BOIInstance(
            boiId: BoiID(rawValue: "boi-\"1\"\\"), bo: "Person", externalId: "P-\"1\"\u{1}", document: [:],
            actual: false, version: version)
        let event = BOIEvent(
            instance: instance, isCreate: true, changes: ["name": .string("N\\")],
            migrationId: MigrationID(rawValue: "mig-1"), operDate: OperDate(rawValue: "2026-11-20")!)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: event.json, as: UTF8.self) == String(decoding: try encoder.encode(event), as: UTF8.self))
        let read = try JSONParser.parse(event.json)
        #expect(read["eventId"] == .string("boi-\"1\"\\:\(version)"))
        #expect(try JSONDecoder().decode(BOIEvent.self, from: Data(event.json)) == event)
    }

    /// The store builds a created instance's document from the text of its event's changes:
    /// that text is where the event says, whatever the changes hold.
    @Test func anEventNotesWhereTheTextOfItsChangesIs() throws {
        let instance = BOIInstance(
            boiId: BoiID(rawValue: "boi-\"1\""), bo: "Person", externalId: "P-1", document: [:], actual: true, version: 1)
        let changes: [JSONObject] = [
            [:], ["a": .null], ["name": .string("N\\ \"}\" Ә")],
            ["nested": .object(["x": .array([.object([:]), .null])]), "z": .number(JSONNumber("1.50")!)],
        ]
        for changes in changes {
            let event = BOIEvent(
                instance: instance, isCreate: true, changes: changes, migrationId: MigrationID(rawValue: "mig-\"1\""),
                operDate: OperDate(rawValue: "2026-11-20")!)
            let (json, range) = event.jsonNotingChanges
            #expect(json == event.json)
            #expect(Array(json[range]) == JSONText.object(changes))
            #expect(try JSONParser.parse(json)["changes"] == .object(changes))
        }
    }

    @Test func nullMembersAndSharedMembersAreTold() {
        let document: JSONObject = ["a": .null, "b": .number(1), "c": .null, "d": .array([.null])]
        var nulls: [String] = []
        document.forEachNullMember { nulls.append($0) }
        #expect(nulls == ["a", "c"])
        let copy = document
        #expect(copy.sharesMembers(with: document))
        var changed = document
        changed["b"] = .number(1)
        #expect(changed == document)
        #expect(!changed.sharesMembers(with: document))
        let equal: JSONObject = ["a": .null, "b": .number(1), "c": .null, "d": .array([.null])]
        #expect(equal == document)
        #expect(!equal.sharesMembers(with: document))
    }

    /// An event id is its instance's id and version: an event read back that says otherwise is
    /// refused rather than given a new id.
    @Test func anEventWhoseIdIsNotItsInstanceAndVersionIsRefused() throws {
        let instance = BOIInstance(
            boiId: BoiID(rawValue: "boi-1"), bo: "Person", externalId: "P-1", document: [:], actual: true, version: 2)
        let event = BOIEvent(
            instance: instance, isCreate: false, changes: [:], migrationId: MigrationID(rawValue: "mig-1"),
            operDate: OperDate(rawValue: "2026-11-20")!)
        let text = String(decoding: event.json, as: UTF8.self)
        #expect(text.contains(#""eventId":"boi-1:2""#))
        let forged = Data(text.replacingOccurrences(of: #""eventId":"boi-1:2""#, with: #""eventId":"boi-1:3""#).utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BOIEvent.self, from: forged) }
    }
}

/// Strings are read eight bytes at a time up to the closing quote: whatever position a quote,
/// an escape, a control character or a non-ASCII byte takes in a word, the text read is the
/// text written, invalid UTF-8 is refused, and so is a raw control character.
@Suite("JSON reading word by word")
struct JSONWordReadingTests {
    @Test func everyPositionOfAWordReadsBack() throws {
        let insertions = ["\"", "\\", "\n", "\u{1}", "é", "😀", "\u{7F}"]
        for insertion in insertions {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
                for position in 0...length {
                    var text = String(repeating: "a", count: length)
                    text.insert(contentsOf: insertion, at: text.index(text.startIndex, offsetBy: position))
                    let json = JSONText.object(["k": .string(text), "z": .string("after")])
                    #expect(try JSONParser.parse(json) == .object(["k": .string(text), "z": .string("after")]))
                }
            }
        }
    }

    @Test func rawControlCharactersAndInvalidUTF8AreRefusedWherever() {
        for length in [1, 8, 9, 16, 20] {
            for position in 0..<length {
                var control = Array(#"{"k":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: length) + Array(#""}"#.utf8)
                var invalid = control
                control[6 + position] = 0x1F
                invalid[6 + position] = 0xFF
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(control) }
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(invalid) }
            }
        }
    }
}
