import Domain
import Foundation
import Testing

@Suite("JSON parser and writer")
struct JSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONParser.parse(
            #" {"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","n":-12.5e1,"i":42,"z":-0,"t":true,"f":false,"x":null,"a":[1,[],{}]} "#)
        #expect(
            value
                == .object([
                    "s": .string("a\"b\\c/d\né😀"), "n": .number(-125), "i": .number(42), "z": .number(0), "t": .bool(true),
                    "f": .bool(false), "x": .null, "a": .array([.number(1), .array([]), .object([:])]),
                ]))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "nul", "\"abc", "\"\\x\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}\"", "[1] 2", "{1:2}",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0x61, 0xFF, 0x62, 0x22]) }
    }

    /// ASCII strings and those with other characters take different paths.
    @Test func readsStringsOfASCIIAndBeyond() throws {
        #expect(try JSONParser.parse(#"["plain ASCII ~","Ärzte é 😀 ж"]"#) == .array([.string("plain ASCII ~"), .string("Ärzte é 😀 ж")]))
    }

    @Test func refusesNestingTooDeep() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(String(repeating: "[", count: 600)) }
        #expect(throws: Never.self) {
            try JSONParser.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        }
    }

    /// Within a Double's 15 digits: beyond them the parser keeps what JSONDecoder rounds.
    @Test func agreesWithJSONDecoder() throws {
        let text = #"{"k":[1.5,2,"x",{"y":null,"z":[true]}],"big":123456789012345,"small":1e-7,"neg":-3}"#
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try JSONParser.parse(text) == decoded)
    }

    @Test func writesWhatItReads() throws {
        let value = JSONValue.object([
            "b": .array([.number(1), .number(2.5), .number(-1e20), .string("q\"\\\n\u{01}é")]), "a": .null,
            "c": .object(["y": .bool(true), "x": .bool(false)]),
        ])
        let text = JSONText.value(value)
        #expect(try JSONParser.parse(text) == value)
        #expect(String(decoding: text, as: UTF8.self).hasPrefix(#"{"a":null,"b":[1,2.5,"#))
        #expect(String(decoding: text, as: UTF8.self).hasSuffix(#""c":{"x":false,"y":true}}"#))
    }

    @Test func eventJSONIsWhatJSONEncoderWritesWithSortedKeys() throws {
        let instance = BOIInstance(
            boiId: BoiID(rawValue: "boi-1"), bo: "Person", externalId: "P/1", document: [:], actual: true, version: 3)
        let event = BOIEvent(
            instance: instance, isCreate: false,
            changes: ["name": .string("Ann"), "dept": .null, "n": .number(7), "tags": .array([.string("a")])],
            migrationId: MigrationID(rawValue: "mig-1"), operDate: OperDate(rawValue: "2026-11-20")!)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(event.json == Array(try encoder.encode(event)))
        #expect(try JSONDecoder().decode(BOIEvent.self, from: Data(event.json)) == event)
    }
}

@Suite("Reading IN_MIGRATION messages")
struct MessageJSONTests {
    let encoder = RecordMessage.Encoder(
        migrationId: MigrationID(rawValue: "mig-1"), operDate: OperDate(rawValue: "2026-11-20")!, bo: "Person",
        table: "in_person")

    @Test func readsARecordAsJSONDecoderDoes() throws {
        var value: [UInt8] = []
        var key: [UInt8] = []
        encoder.encode(
            externalId: ArraySlice(Array("P-1".utf8)), row: ArraySlice(Array(#"{"external_id":"P-1","n":3}"#.utf8)),
            children: ArraySlice(Array(#"{"phones":[{"number":"+7"}]}"#.utf8)), value: &value, key: &key)
        let expected = try JSONDecoder().decode(InMigrationMessage.self, from: Data(value))
        #expect(try InMigrationMessage(json: JSONParser.parse(value)) == expected)
    }

    @Test func readsAMarkerAsJSONDecoderDoes() throws {
        let marker = RefCheckMarker(
            migrationId: MigrationID(rawValue: "m"), operDate: OperDate(rawValue: "2026-01-31")!, partition: 2,
            partitions: 8, records: 42)
        let json = try JSONParser.parse(Array(try JSONEncoder().encode(marker)))
        #expect(try InMigrationMessage(json: json) == .refCheck(marker))
    }

    @Test(arguments: [
        (#"[1]"#, nil as String?), (#"{"kind":"other"}"#, "kind"), (#"{"kind":"record"}"#, "migrationId"),
        (#"{"kind":"record","migrationId":"m","operDate":"2026-02-30","bo":"P","table":"t","row":{}}"#, "operDate"),
        (#"{"kind":"record","migrationId":"m","operDate":"2026-02-03","bo":"P","table":"t","row":[]}"#, "row"),
        (#"{"kind":"record","migrationId":"m","operDate":"2026-02-03","bo":"P","table":"t","externalId":1,"row":{}}"#,
         "externalId"),
        (#"{"kind":"record","migrationId":"m","operDate":"2026-02-03","bo":"P","table":"t","row":{},"children":{"c":1}}"#,
         "children.c"),
        (#"{"kind":"refCheck","migrationId":"m","operDate":"2026-02-03","partition":1.5,"partitions":2,"records":3}"#,
         "partition"),
    ])
    func namesTheFieldAtFault(_ text: String, field: String?) throws {
        let json = try JSONParser.parse(text)
        #expect(throws: MessageFormatError.self) { try InMigrationMessage(json: json) }
        do {
            _ = try InMigrationMessage(json: json)
        } catch {
            #expect(error.field == field)
        }
        // The same from the members of the object, as the consumer reads them.
        guard let members = try JSONParser.parseMembers(Array(text.utf8)) else {
            #expect(field == nil)
            return
        }
        do {
            _ = try InMigrationMessage(members: members)
            Issue.record("\(text) was read as a message")
        } catch {
            #expect(error.field == field)
        }
    }

    @Test func membersComeInTheirWrittenOrderWithRepeatsKept() throws {
        let members = try #require(try JSONParser.parseMembers(Array(#" {"b":1,"a":{"x":[]},"b":"two"} "#.utf8)))
        #expect(members.map(\.name) == ["b", "a", "b"])
        #expect(members.map(\.value) == [.number(1), .object(["x": .array([])]), .string("two")])
        #expect(try JSONParser.parseMembers(Array("{}".utf8))?.isEmpty == true)
        #expect(try JSONParser.parseMembers(Array(#"[{"a":1}]"#.utf8)) == nil)
        #expect(try JSONParser.parseMembers(Array(#""text""#.utf8)) == nil)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parseMembers(Array(#"{"a":1} x"#.utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parseMembers(Array(#"{"a":1,}"#.utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parseMembers(Array("[1".utf8)) }
    }

    /// The room objects get at once is a guess (the consumer passes the size of the row before):
    /// too little or too much, the values are the same.
    @Test func objectsAreTheSameWhateverRoomTheyAreGiven() throws {
        let row = (0..<40).map { #""c\#($0)":\#($0)"# }.joined(separator: ",")
        let children = (0..<3).map { #"{"k":\#($0),"v":"x","w":[{"a":1,"b":2,"c":3,"d":4,"e":5}]}"# }
        let text = #"{"row":{\#(row)},"children":{"rows":[\#(children.joined(separator: ","))]}}"#
        let expected = try #require(try JSONParser.parseMembers(Array(text.utf8)))
        let columns = (0..<40).map { ("c\($0)", JSONValue.number(JSONNumber(Double($0)))) }
        #expect(expected.first?.value == .object(JSONObject(columns)))
        for capacity in [1, 4, 40, 100] {
            let members = try #require(try JSONParser.parseMembers(Array(text.utf8), objectCapacity: capacity))
            #expect(members.map(\.name) == ["row", "children"])
            #expect(members.map(\.value) == expected.map(\.value))
        }
    }

    /// The parser's summary of a document's strings: the longest in UTF-8 bytes as decoded
    /// (escapes shrink), names counted too, and U+0000 found only where `\u0000` put it.
    @Test func theSummaryOfStringsIsWhatTheStringsHold() throws {
        let cases: [(String, Int, Bool)] = [
            (#"{"a":"xyz","bb":{"c":["12345"]}}"#, 5, false),
            (#"{"a_long_name_here":1,"b":"x"}"#, 16, false),
            (#"{"a":"\u00e9\n"}"#, 3, false),
            (#"{"a":"\ud83d\ude00"}"#, 4, false),
            (#"{"a":{"b":[1,{"c":"x\u0000y"}]}}"#, 3, true),
            (#"{"n\u0000":1}"#, 2, true),
            (#"{"a":"\\u0000"}"#, 6, false),
            (#"{"a":1,"b":null,"c":true}"#, 1, false),
            ("{}", 0, false),
        ]
        // Twice each, with one cache of names: names found in it are counted too.
        var shapes = JSONShapes()
        for (text, longest, nul) in cases + cases {
            let (_, texts) = try #require(
                try JSONParser.parseMembersSummarized(Array(text.utf8), shapes: &shapes), "\(text)")
            #expect(texts == JSONTextSummary(longestString: longest, holdsNUL: nul), "\(text)")
        }
    }

    /// Strings are read a word at a time up to the word that ends them: whatever ends or
    /// interrupts one (its quote, an escape, a control character, a byte that is not UTF-8) is
    /// found at every place in a word and across words, and so is text that is not ASCII.
    @Test func everyByteOfAStringIsReadWhereverItFallsInAWord() throws {
        let encoder = JSONEncoder()
        for length in 0..<40 {
            for place in 0...length {
                for inserted in ["\"", "\\", "\n", "é", "€😀", "\u{1}"] {
                    var text = String(repeating: "x", count: length)
                    text.insert(contentsOf: inserted, at: text.index(text.startIndex, offsetBy: place))
                    let json = Array(try encoder.encode(["k": text]))
                    #expect(try JSONParser.parse(json) == .object(["k": .string(text)]), "\(text.debugDescription)")
                }
                var invalid = Array(#"{"k":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: length) + Array(#""}"#.utf8)
                invalid.insert(0xFF, at: 6 + place)
                #expect(throws: JSONParser.Failure.self, "0xFF at \(place) of \(length)") { try JSONParser.parse(invalid) }
                var control = Array(#"{"k":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: length) + Array(#""}"#.utf8)
                control.insert(0x1F, at: 6 + place)
                #expect(throws: JSONParser.Failure.self, "0x1F at \(place) of \(length)") { try JSONParser.parse(control) }
            }
        }
    }

    /// Objects whose names come in an order read before are sorted by the swaps remembered from
    /// then: whatever the names, their order, repeats (the last counts) and how many shapes come
    /// and go, every object is what parsing it alone gives.
    @Test func objectsSortedAsOnesReadBeforeAreTheObjectsAsWritten() throws {
        var generator = SystemRandomNumberGenerator()
        let pool = ["a", "b", "c", "external_id", "department_external_id", "z", "Zed", "é", "a_very_long_name_of_a_column"]
        // A few shapes used often (found again), and now and then a new one (remembered anew).
        var shapesSeen: [[String]] = (0..<6).map { _ in
            (0..<Int.random(in: 2...9, using: &generator)).map { _ in pool.randomElement(using: &generator)! }
        }
        var shapes = JSONShapes()
        for round in 0..<3000 {
            if round % 50 == 0 {
                shapesSeen.append((0..<Int.random(in: 0...12, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
            }
            let names = shapesSeen.randomElement(using: &generator)!
            let row = names.enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",")
            let text = #"{"row":{\#(row)},"rows":[{\#(row)},{\#(row)}]}"#
            let alone = try JSONParser.parse(text)
            let (members, _) = try #require(try JSONParser.parseMembersSummarized(Array(text.utf8), shapes: &shapes))
            #expect(JSONValue.object(JSONObject(members.map { ($0.name, $0.value) })) == alone, "\(text)")
            // The last of a repeated name counts, in the order read.
            var expected: [String: JSONValue] = [:]
            for (index, name) in names.enumerated() { expected[name] = .number(JSONNumber(Double(index))) }
            #expect(alone["row"] == .object(JSONObject(expected.map { ($0.key, $0.value) })))
        }
    }

    /// Names kept from earlier messages are found only by their very bytes: names alike in length,
    /// head and tail, names that differ only in case or in a non-ASCII letter, names too long to
    /// keep and names with escapes all come out as written, however often they repeat, also after
    /// the cache has started again empty. A name that is not UTF-8 fails every time.
    @Test func namesKeptFromEarlierMessagesAreTheNamesAsWritten() throws {
        let long = String(repeating: "n", count: 70)
        let alike = (0..<26).map { "head_of_\(Character(UnicodeScalar(UInt8(65 + $0))))_the_tail" }
        let written = ["external_id", "External_id", "a", "b", "", "имя", "имЯ", long, long + "x"] + alike
        func message(_ names: [String], escaped: Bool = false) -> [UInt8] {
            let members = names.enumerated().map { index, name in
                let key = escaped ? name.replacingOccurrences(of: "_", with: "\\u005f") : name
                return #""\#(key)":{"\#(key)":\#(index)}"#
            }
            return Array("{\(members.joined(separator: ","))}".utf8)
        }
        var shapes = JSONShapes()
        // More distinct names than the cache keeps, so it starts again on the way.
        let many = (0..<3000).map { "wide_table_column_\($0)" }
        for round in 0..<3 {
            for list in [written, written.reversed(), many, written] {
                let (members, _) = try #require(try JSONParser.parseMembersSummarized(message(list), shapes: &shapes))
                #expect(members.map(\.name) == list, "round \(round)")
                for (index, member) in members.enumerated() {
                    #expect(member.value == .object([list[index]: .number(JSONNumber(Double(index)))]))
                }
            }
            let (escaped, _) = try #require(
                try JSONParser.parseMembersSummarized(message(written, escaped: true), shapes: &shapes))
            #expect(escaped.map(\.name) == written)
        }
        var invalid = Array(#"{"ab":1}"#.utf8)
        invalid[2] = 0xFF
        for _ in 0..<2 {
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parseMembersSummarized(invalid, shapes: &shapes) }
        }
    }
}
