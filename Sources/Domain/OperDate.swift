/// An operational day (`oper_date`): the day whose data the customer loaded into the in-tables.
///
/// Kept as the ISO `YYYY-MM-DD` text PostgreSQL prints for a `date`, so that it travels through
/// SQL parameters, JSON and URLs without time-zone arithmetic.
public struct OperDate: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// - Returns: `nil` unless `rawValue` is a real calendar date written `YYYY-MM-DD`.
    ///
    /// Checked byte by byte: every message of a migration carries its day, and splitting the
    /// text into parts cost a consumer more than a percent of its time.
    public init?(rawValue: String) {
        var text = rawValue
        let date = text.withUTF8 { bytes -> (year: Int, month: Int, day: Int)? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return (year, month, day)
        }
        guard let date, (1...12).contains(date.month), date.day >= 1,
            date.day <= OperDate.days(inMonth: date.month, year: date.year)
        else { return nil }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = OperDate(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a date written YYYY-MM-DD")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: OperDate, rhs: OperDate) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
