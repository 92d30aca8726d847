/// A length of time as an operator writes it in the configuration file: `500ms`, `10s`, `2m`,
/// `1h`, or a bare whole number of seconds.
///
/// A type of its own, rather than a bare `Duration`, so that the file's spelling is parsed and
/// printed in one place and every interval in the configuration reads the same way.
public struct ConfigDuration: Hashable, Sendable, Codable, Comparable, LosslessStringConvertible {
    public var duration: Duration

    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses `500ms`, `10s`, `2m`, `1h` or a bare whole number of seconds (`30`).
    ///
    /// - Returns: `nil` when the text is none of those, or is negative or too large.
    public init?(_ description: String) {
        let text = description.trimmingWhitespace()
        let units: [(suffix: String, millisecondsPerUnit: Int64)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000),
        ]
        var number = Substring(text)
        var perUnit: Int64 = 1_000
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            perUnit = unit.millisecondsPerUnit
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int64(number)
        else { return nil }
        let (total, overflow) = count.multipliedReportingOverflow(by: perUnit)
        guard !overflow else { return nil }
        self.duration = .milliseconds(total)
    }

    public static func seconds(_ seconds: Int64) -> ConfigDuration {
        ConfigDuration(.seconds(seconds))
    }

    public static func milliseconds(_ milliseconds: Int64) -> ConfigDuration {
        ConfigDuration(.milliseconds(milliseconds))
    }

    /// The whole number of milliseconds, rounded down (librdkafka and SQL intervals want these).
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// The shortest exact spelling: `2m` rather than `120s`, `1500ms` rather than a fraction.
    public var description: String {
        let milliseconds = self.milliseconds
        guard milliseconds != 0 else { return "0s" }
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }

    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool {
        lhs.duration < rhs.duration
    }

    /// Accepts the text forms above or a whole number of seconds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int64.self) {
            guard seconds >= 0, let parsed = ConfigDuration(String(seconds)) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(seconds) is not a duration: \(Self.expectedForm)")
            }
            self = parsed
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = ConfigDuration(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a duration: \(Self.expectedForm)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// How a duration is written, for error messages.
    static let expectedForm = "write a whole number with ms, s, m or h (500ms, 10s, 2m, 1h), or a number of seconds"
}

extension String {
    /// The text without leading and trailing white space and line breaks.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
