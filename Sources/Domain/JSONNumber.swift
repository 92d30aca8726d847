/// A JSON number kept as its text, so that every digit reaches the store and the events as the
/// in-table gave it: a `bigint` id past 2^53 or a `numeric(30,10)` amount does not fit a `Double`,
/// and a `numeric(12,2)`'s `5785.00` keeps its scale, as PostgreSQL's `document->>'field'` prints
/// it for a unique key.
///
/// Two numbers are equal when their values are, whatever their spelling (`5785.00` and `5785`,
/// `1e3` and `1000`): a document stored with one and a record with the other is unchanged.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// JSON number syntax, as written.
    public let text: String

    /// - Parameter text: must be JSON number syntax (the parser checked it).
    init(validated text: String) {
        self.text = text
    }

    /// `nil` unless `text` is a JSON number.
    public init?(_ text: String) {
        guard Self.isJSONNumber(text.utf8) else { return nil }
        self.text = text
    }

    /// A whole number in decimal digits, a fraction in the shortest text that reads back the same.
    public init(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = value.isFinite ? String(value) : "0"
        }
    }

    public var description: String { text }

    /// The nearest `Double`, for ordering.
    public var doubleValue: Double { Double(text) ?? 0 }

    /// The value when it is a whole number that fits `T`.
    public func exactly<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        if let integer = T(text) { return integer }
        let value = Value(text)
        if value.digits.isEmpty { return 0 }
        guard value.exponent >= 0, value.digits.count + value.exponent <= 40 else { return nil }
        return T((value.negative ? "-" : "") + value.digits + String(repeating: "0", count: value.exponent))
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.text == rhs.text || Value(lhs.text) == Value(rhs.text)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Value(text))
    }

    /// A number's value in one spelling: sign, significant digits without leading or trailing
    /// zeros, and the power of ten they are multiplied by. Zero has no digits and no sign.
    struct Value: Hashable {
        var negative = false
        var digits = ""
        var exponent = 0

        init(_ text: String) {
            var digits: [UInt8] = []
            var exponent = 0
            var negative = false
            var inFraction = false
            var utf8 = text.utf8[...]
            while let byte = utf8.first {
                utf8 = utf8.dropFirst()
                switch byte {
                case UInt8(ascii: "-"): negative = true
                case UInt8(ascii: "."): inFraction = true
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    exponent += Int(String(decoding: utf8, as: UTF8.self)) ?? 0
                    utf8 = utf8.suffix(0)
                default:
                    if digits.isEmpty && byte == UInt8(ascii: "0") {
                        if inFraction { exponent -= 1 }
                        continue
                    }
                    digits.append(byte)
                    if inFraction { exponent -= 1 }
                }
            }
            while digits.last == UInt8(ascii: "0") {
                digits.removeLast()
                exponent += 1
            }
            if digits.isEmpty {
                return
            }
            self.negative = negative
            self.digits = String(decoding: digits, as: UTF8.self)
            self.exponent = exponent
        }
    }

    /// JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ text: String.UTF8View) -> Bool {
        var bytes = text[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int64) {
        self.text = String(value)
    }

    public init(floatLiteral value: Double) {
        self.init(value)
    }
}
