import Domain
import Testing

/// The order child rows are kept in: it must depend on the values alone and be total, or the
/// same rows read in another order would look like a change.
@Suite("JSONValue: canonical order")
struct JSONCanonicalOrderTests {
    @Test func kindsComeNullBooleanNumberStringArrayObject() {
        let values: [JSONValue] = [.object([:]), .array([]), .string(""), .number(-1), .bool(true), .bool(false), .null]
        #expect(
            values.sorted(by: JSONValue.canonicallyPrecedes)
                == [.null, .bool(false), .bool(true), .number(-1), .string(""), .array([]), .object([:])])
    }

    @Test func numbersCompareByValueAndStringsByText() {
        #expect(JSONValue.canonicallyPrecedes(.number(2), .number(10)))
        #expect(!JSONValue.canonicallyPrecedes(.number(10), .number(2)))
        #expect(JSONValue.canonicallyPrecedes(.string("10"), .string("2")))
        #expect(!JSONValue.canonicallyPrecedes(.string("a"), .string("a")))
    }

    @Test func arraysCompareElementByElementTheShorterFirst() {
        #expect(JSONValue.canonicallyPrecedes(.array([.number(1)]), .array([.number(1), .number(0)])))
        #expect(JSONValue.canonicallyPrecedes(.array([.number(1), .number(9)]), .array([.number(2)])))
        #expect(!JSONValue.canonicallyPrecedes(.array([.number(1)]), .array([.number(1)])))
    }

    /// Members in key order, whatever order the row was written in: a key that sorts first
    /// decides before the values of later keys.
    @Test func objectsCompareMemberByMemberInKeyOrder() {
        let work = JSONValue.object(["number": .string("1"), "kind": .string("work")])
        let mobile = JSONValue.object(["number": .string("2"), "kind": .string("mobile")])
        #expect(JSONValue.canonicallyPrecedes(mobile, work))
        #expect(!JSONValue.canonicallyPrecedes(work, mobile))
        // A missing key: the object that ends first, or whose next key sorts first.
        let kindOnly = JSONValue.object(["kind": .string("work")])
        #expect(JSONValue.canonicallyPrecedes(kindOnly, work))
        let withExtension = JSONValue.object(["extension": .string("9"), "kind": .string("work")])
        #expect(JSONValue.canonicallyPrecedes(withExtension, kindOnly))
    }

    @Test func anyOrderOfTheSameRowsSortsToOne() {
        let rows: [JSONValue] = [
            .object(["kind": .string("work"), "number": .string("3")]),
            .object(["kind": .string("home"), "number": .null]),
            .object(["kind": .string("home"), "number": .string("1")]),
            .object(["kind": .string("home")]),
        ]
        let sorted = rows.sorted(by: JSONValue.canonicallyPrecedes)
        #expect(sorted.map { $0["kind"]?.stringValue } == ["home", "home", "home", "work"])
        #expect(sorted[0] == .object(["kind": .string("home")]))
        #expect(sorted[1]["number"] == .null)
        for permutation in [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
            #expect(permutation.map { rows[$0] }.sorted(by: JSONValue.canonicallyPrecedes) == sorted)
        }
    }
}
