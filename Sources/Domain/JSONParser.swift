/// Reads strict JSON (RFC 8259) from UTF-8 bytes into a ``JSONValue``.
///
/// Why not `JSONDecoder`: the consumer reads every message of `IN_MIGRATION` and every document
/// a batch loads, and through `Codable` a ``JSONValue`` tries each type in turn, paying a thrown
/// error for every type a value is not. That made decoding the largest cost of consuming.
/// This reader looks at the next byte instead, and makes one `String` per string.
public struct JSONParser {
    /// Why the bytes are not JSON, and where.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The offset of the byte where reading stopped.
        public var offset: Int
        public var reason: String

        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// Nesting deeper than this is refused rather than risking the stack.
    static let maxDepth = 512
    /// The members an object gets room for at once unless the caller knows better.
    public static let objectCapacity = 16

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private var texts = JSONTextSummary.empty
    private var shapes = JSONShapes.off

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON value that makes up the whole of `bytes` (surrounding whitespace allowed).
    /// - Throws: ``Failure`` for anything that is not exactly one JSON value in valid UTF-8.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var parser = JSONParser(buffer)
            return try parser.parseDocument()
        }
    }

    /// Parses `text` as one JSON value; see ``parse(_:)-(Array<UInt8>)``.
    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses `bytes` as one JSON object and returns its members in the order they are
    /// written, without building a dictionary: for a message envelope, whose few fields are each
    /// looked up once. A name given twice appears twice; the last one counts, as in an object.
    /// - Parameter objectCapacity: the members an object among the values gets room for at once
    ///   (a message's row: the consumer passes the size of the row before it).
    /// - Returns: `nil` when the value is valid JSON but not an object.
    /// - Throws: ``Failure`` for anything that is not exactly one JSON value in valid UTF-8.
    public static func parseMembers(
        _ bytes: [UInt8], objectCapacity: Int = JSONParser.objectCapacity
    ) throws(Failure) -> [(name: String, value: JSONValue)]? {
        var shapes = JSONShapes.off
        return try parseMembersSummarized(bytes, objectCapacity: objectCapacity, shapes: &shapes)?.members
    }

    /// ``parseMembers(_:objectCapacity:)``, and what every string of the object was like.
    /// - Parameter shapes: what the parser remembers of the messages it read before this one.
    public static func parseMembersSummarized(
        _ bytes: [UInt8], objectCapacity: Int = JSONParser.objectCapacity, shapes: inout JSONShapes
    ) throws(Failure) -> (members: [(name: String, value: JSONValue)], texts: JSONTextSummary)? {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var parser = JSONParser(buffer)
            // Moved in and out, not copied: a copy would be copied again at its first change.
            swap(&parser.shapes, &shapes)
            defer { swap(&parser.shapes, &shapes) }
            parser.skipWhitespace()
            guard parser.position < buffer.count, buffer[parser.position] == UInt8(ascii: "{") else {
                _ = try parser.parseDocument()
                return nil
            }
            var members: [(name: String, value: JSONValue)] = []
            members.reserveCapacity(8)
            try parser.parseMembers(objectCapacity: objectCapacity) { members.append(($0, $1)) }
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw parser.failure("unexpected text after the JSON value") }
            return (members, parser.texts)
        }
    }

    private mutating func parseDocument() throws(Failure) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected text after the JSON value") }
        return value
    }

    /// - Parameter objectCapacity: the members an object here gets room for at once.
    private mutating func parseValue(objectCapacity: Int = JSONParser.objectCapacity) throws(Failure) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object(try parseObject(capacity: objectCapacity))
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseObject(capacity: Int) throws(Failure) -> JSONObject {
        // Room for the members expected at once: growing 1, 2, 4, 8, 16 copies every member
        // four times.
        var members: [JSONObject.Member] = []
        members.reserveCapacity(capacity)
        try parseMembers { members.append(JSONObject.Member(key: $0, value: $1)) }
        return JSONObject(unsorted: consume members, orders: &shapes.orders)
    }

    /// Reads an object member by member, in the order they are written, into `add`.
    /// - Parameter objectCapacity: the members an object among the values gets room for at once.
    private mutating func parseMembers(
        objectCapacity: Int = JSONParser.objectCapacity, _ add: (String, JSONValue) -> Void
    ) throws(Failure) {
        try enter()
        defer { depth -= 1 }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a member name")
            }
            let key = try parseString(isName: true)
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            position += 1
            add(key, try parseValue(objectCapacity: objectCapacity))
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of input in an object") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> [JSONValue] {
        try enter()
        defer { depth -= 1 }
        position += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return array
        }
        // Room for a few at once: grown from nothing, an array of child rows was made anew for
        // its first, second and third element.
        array.reserveCapacity(4)
        while true {
            // The objects of an array are child rows, of a few columns each: sized for sixteen
            // members, each of them took a kilobyte, a million of them per million records.
            array.append(try parseValue(objectCapacity: 4))
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of input in an array") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return array
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
    }

    /// A string literal; `position` is at its opening quote. Strings without escapes, the usual
    /// case, are validated and copied in one go, after one pass that reads eight bytes at a time
    /// up to the word that holds the closing quote, takes the quote's place in it from the word's
    /// bits, and notes whether any byte is not ASCII.
    /// - Parameter isName: a member's name, looked for in ``shapes`` before it is made.
    private mutating func parseString(isName: Bool = false) throws(Failure) -> String {
        position += 1
        let start = position
        var highBits: UInt64 = 0
        if let base = bytes.baseAddress {
            while bytes.count - position >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                let special = JSONText.escapeMask(word)
                if special == 0 {
                    highBits |= word
                    position += 8
                    continue
                }
                // The bytes before the first that ends or interrupts the string (exact, see
                // ``JSONText/escapeMask(_:)``) are plain text; that byte is read below.
                let plain = special.trailingZeroBitCount / 8
                highBits |= word & ~(UInt64.max << UInt64(plain * 8))
                position += plain
                break
            }
        }
        // The byte found above, or the last few bytes of the input: one at a time.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let isASCII = highBits & 0x8080_8080_8080_8080 == 0
                let utf8 = UnsafeBufferPointer(rebasing: bytes[start..<position])
                texts.longestString = max(texts.longestString, utf8.count)
                let text =
                    isName
                    ? try shapes.names.name(utf8) { utf8 throws(Failure) in
                        try Self.string(utf8, isASCII: isASCII, from: start)
                    }
                    : try Self.string(utf8, isASCII: isASCII, from: start)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            guard byte >= 0x20 else { throw failure("unescaped control character in a string") }
            highBits |= UInt64(byte)
            position += 1
        }
        throw failure("unterminated string")
    }

    private mutating func parseEscapedString(from start: Int) throws(Failure) -> String {
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                texts.longestString = max(texts.longestString, buffer.count)
                return try buffer.withUnsafeBufferPointer { utf8 throws(Failure) in
                    try Self.string(utf8, isASCII: utf8.allSatisfy { $0 < 0x80 }, from: start)
                }
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let character = try parseUnicodeEscape()
                    if character == "\u{0}" { texts.holdsNUL = true }
                    buffer.append(contentsOf: String(character).utf8)
                default:
                    position -= 1
                    throw failure("invalid escape in a string")
                }
            case 0..<0x20:
                throw failure("unescaped control character in a string")
            default:
                buffer.append(byte)
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    /// The scalar of `\uXXXX` (position after the `u`), joining a surrogate pair.
    private mutating func parseUnicodeEscape() throws(Failure) -> Character {
        let first = try parseHex4()
        if (0xD800..<0xDC00).contains(first) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw failure("a high surrogate without its low surrogate") }
            position += 2
            let second = try parseHex4()
            guard (0xDC00..<0xE000).contains(second) else { throw failure("a high surrogate without its low surrogate") }
            let scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Character(Unicode.Scalar(scalar)!)
        }
        guard let scalar = Unicode.Scalar(first) else { throw failure("a low surrogate without its high surrogate") }
        return Character(scalar)
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// ASCII text (`isASCII`, as the caller found while reading it), nearly every string of a
    /// load, is valid UTF-8 as it stands and takes `String(decoding:)`'s specialised path;
    /// `String(validating:)` is generic over the encoding and looked up type metadata for every
    /// string (5% of the consumer's CPU).
    private static func string(
        _ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool, from start: Int
    ) throws(Failure) -> String {
        if isASCII { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw Failure(offset: start, reason: "a string that is not valid UTF-8")
        }
        return text
    }

    /// A number per the JSON grammar. Integers of up to 15 digits (every id and count) are
    /// converted exactly without going through text; the rest the standard library parses.
    /// Checks the number's syntax and keeps its text: every digit of a `bigint` or a `numeric`
    /// reaches the document (see ``JSONNumber``).
    private mutating func parseNumber() throws(Failure) -> JSONNumber {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number") }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number") }
            skipDigits()
        }
        return JSONNumber(validated: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("unexpected end of input") }
        for index in 0..<count where bytes[position + index] != literal.utf8Start[index] {
            throw failure("invalid literal")
        }
        position += count
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: position, reason: reason)
    }
}
