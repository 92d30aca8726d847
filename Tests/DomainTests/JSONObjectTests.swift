import Foundation
import Testing

@testable import Domain

@Suite("JSONObject: members sorted by name, each name once")
struct JSONObjectTests {
    @Test func membersComeInNameOrderWhateverOrderTheyWereGivenIn() {
        var generator = SystemRandomNumberGenerator()
        let pairs: [(String, JSONValue)] = (0..<50).map { ("k\($0)", .number(JSONNumber(Double($0)))) }
        let expected = pairs.map(\.0).sorted()
        for count in [0, 1, 2, 5, 32, 33, 50] {
            let object = JSONObject(pairs.prefix(count).shuffled(using: &generator))
            #expect(object.keys == Array(pairs.prefix(count).map(\.0)).sorted())
            #expect(object.count == count)
        }
        #expect(JSONObject(pairs.reversed()).keys == expected)
    }

    @Test func ofANameGivenTwiceTheLastValueCounts() {
        for count in [3, 40] {
            var pairs: [(String, JSONValue)] = (0..<count).map { ("k\($0)", .number(JSONNumber(Double($0)))) }
            pairs.append(("k1", .string("later")))
            pairs.insert(("k2", .string("earlier")), at: 0)
            let object = JSONObject(pairs)
            #expect(object.count == count)
            #expect(object["k1"] == .string("later"))
            #expect(object["k2"] == .number(2))
        }
        let parsed = try? JSONParser.parse(#"{"b":1,"a":2,"b":3}"#)
        #expect(parsed == .object(["a": .number(2), "b": .number(3)]))
    }

    @Test func settingInsertsInOrderReplacesAndRemoves() {
        var object: JSONObject = ["m": .null]
        object["z"] = .number(1)
        object["a"] = .number(2)
        object["m"] = .bool(true)
        #expect(object.keys == ["a", "m", "z"])
        #expect(object["m"] == .bool(true))
        object["m"] = nil
        #expect(object.keys == ["a", "z"])
        #expect(object.removeValue(forKey: "a") == .number(2))
        #expect(object.removeValue(forKey: "a") == nil)
        object["absent"] = nil
        #expect(object.keys == ["z"])
        #expect(object["absent"] == nil)
    }

    /// Equal members are equal objects with equal hashes, however each was built.
    @Test func equalityAndHashingDoNotDependOnHowTheObjectWasBuilt() {
        var built = JSONObject()
        for (key, value) in [("b", JSONValue.string("x")), ("c", .array([])), ("a", .null)] { built[key] = value }
        let literal: JSONObject = ["a": .null, "b": .string("x"), "c": .array([])]
        #expect(built == literal)
        #expect(built.hashValue == literal.hashValue)
        #expect(Set([JSONValue.object(built), .object(literal)]).count == 1)
        #expect(built != ["a": .null, "b": .string("y"), "c": .array([])])
        #expect(built != ["a": .null, "b": .string("x")])
    }

    @Test func codableAsAJSONObject() throws {
        let object: JSONObject = ["b": .array([.number(1), .object(["y": .bool(true), "x": .null])]), "a": .string("é")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(object)
        #expect(String(decoding: data, as: UTF8.self) == #"{"a":"é","b":[1,{"x":null,"y":true}]}"#)
        #expect(try JSONDecoder().decode(JSONObject.self, from: data) == object)
        let text = JSONText.object(object)
        #expect(text == Array(data))
    }

    /// The change set walks both documents in name order.
    @Test func changesAreTheFieldsThatDifferWithNullForThoseGone() {
        let old: JSONObject = ["a": .number(1), "b": .string("same"), "c": .null, "d": .number(4), "f": .number(6)]
        let new: JSONObject = ["b": .string("same"), "c": .number(3), "d": .number(5), "e": .null, "g": .array([])]
        #expect(
            Assembler.changes(from: old, to: new)
                == ["a": .null, "c": .number(3), "d": .number(5), "f": .null, "g": .array([])])
        #expect(Assembler.changes(from: new, to: new).isEmpty)
        #expect(Assembler.changes(from: [:], to: new) == ["b": .string("same"), "c": .number(3), "d": .number(5), "g": .array([])])
        #expect(Assembler.changes(from: nil, to: new) == ["b": .string("same"), "c": .number(3), "d": .number(5), "g": .array([])])
        #expect(Assembler.changes(from: old, to: [:]) == ["a": .null, "b": .null, "c": .null, "d": .null, "f": .null])
        #expect(Assembler.changes(from: nil, to: ["x": .null]).isEmpty)
        // Null members nested in a value are the value's own: only the object's members go.
        let nested: JSONObject = ["a": .object(["n": .null]), "b": .array([.null])]
        #expect(Assembler.changes(from: nil, to: nested) == nested)
        #expect(Array(Assembler.changes(from: nil, to: new).map(\.key)) == ["b", "c", "d", "g"])
    }
}
