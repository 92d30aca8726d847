import Domain
import Testing

@Suite("JSONNumber: every digit, equal by value")
struct JSONNumberTests {
    /// A bigint past 2^53 and a numeric with scale come out as they went in; a Double would have
    /// written 12345678901234567000 and 5785.
    @Test func theParserKeepsTheTextOfEveryNumber() throws {
        let text = #"{"id":12345678901234567891,"amount":5785.00,"tiny":-0.000000000000000000000000000001,"e":1E+3}"#
        let members = try #require(try JSONParser.parseMembers(Array(text.utf8)))
        #expect(members.map { $0.value } == [
            .number(try #require(JSONNumber("12345678901234567891"))), .number(try #require(JSONNumber("5785.00"))),
            .number(try #require(JSONNumber("-0.000000000000000000000000000001"))), .number(1000),
        ])
        let written = JSONText.object(JSONObject(members.map { ($0.name, $0.value) }))
        #expect(String(decoding: written, as: UTF8.self)
            == #"{"amount":5785.00,"e":1E+3,"id":12345678901234567891,"tiny":-0.000000000000000000000000000001}"#)
    }

    @Test func equalValuesAreEqualWhateverTheSpelling() throws {
        let spellings = ["5785", "5785.00", "5.785e3", "5785E0", "578500e-2"]
        let numbers = try spellings.map { try #require(JSONNumber($0)) }
        #expect(Set(numbers).count == 1)
        #expect(try #require(JSONNumber("0")) == #require(JSONNumber("-0.0")))
        #expect(try #require(JSONNumber("12345678901234567891")) != #require(JSONNumber("12345678901234567892")))
        #expect(try #require(JSONNumber("1.5")) != #require(JSONNumber("15")))
        #expect(try #require(JSONNumber("-1")) != #require(JSONNumber("1")))
    }

    @Test func wholeNumbersConvertExactly() throws {
        #expect(try #require(JSONNumber("5785.00")).exactly(Int32.self) == 5785)
        #expect(try #require(JSONNumber("1e3")).exactly(Int.self) == 1000)
        #expect(try #require(JSONNumber("0.0")).exactly(Int.self) == 0)
        #expect(try #require(JSONNumber("1.5")).exactly(Int.self) == nil)
        #expect(try #require(JSONNumber("3000000000")).exactly(Int32.self) == nil)
        #expect(try #require(JSONNumber("9223372036854775807")).exactly(Int64.self) == .max)
    }

    @Test func onlyJSONNumberSyntaxIsANumber() {
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "1e+", "NaN", "0x10", "1 "] {
            #expect(JSONNumber(bad) == nil, "\(bad)")
        }
        for good in ["0", "-0", "10", "1.25", "1e9", "1E-9", "-2.5e+10"] {
            #expect(JSONNumber(good)?.text == good)
        }
    }

    /// A unique key or a reference by a bigint column matches the target's externalId as
    /// PostgreSQL prints it.
    @Test func keyTextIsTheNumberAsGiven() throws {
        #expect(JSONValue.number(try #require(JSONNumber("1234567890123456789"))).keyText == "1234567890123456789")
        #expect(JSONValue.number(try #require(JSONNumber("5785.00"))).keyText == "5785.00")
    }
}
