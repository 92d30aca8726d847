/// Writes JSON text straight into a byte buffer.
///
/// The starter builds millions of messages a run from JSON that PostgreSQL already rendered, and
/// the consumer writes a document and an event for nearly every record (with
/// ``JSONByteWriter``); going through `JSONEncoder` would cost more than the rest of the work.
public enum JSONText {
    /// Appends `bytes` (UTF-8 text) as a JSON string literal, quotes included.
    public static func appendString(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        // Most text needs no escape: copy it in runs, not byte by byte.
        let copied: Void? = bytes.withContiguousStorageIfAvailable { utf8 in
            var start = 0
            for index in utf8.indices where needsEscape(utf8[index]) {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscaped(utf8[index], to: &buffer)
                start = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        if copied == nil {
            for byte in bytes {
                if needsEscape(byte) { appendEscaped(byte, to: &buffer) } else { buffer.append(byte) }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes of `word` is a control character, `"` or `\`: the bytes a
    /// string literal must escape, and the ones that end or interrupt reading one. A byte below
    /// 0x20 borrows when 0x20 is subtracted from it, and so does a zero byte of the word xor-ed
    /// with `"` or `\` (bytes of 0x80 and above are masked off by `~word`).
    static func anyNeedsEscape(_ word: UInt64) -> Bool {
        escapeMask(word) != 0
    }

    /// The high bit of each byte of `word` (read little-endian) that ``anyNeedsEscape(_:)`` finds,
    /// exact up to the first such byte: a borrow only runs towards higher bytes, so bytes after
    /// the first may be marked too, but never one before it, and the first always is.
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & (ones &* 0x80)
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Writes the escape of `byte` (one that ``needsEscape(_:)``) at `target`, which has room for
    /// six bytes; returns how many it wrote.
    static func writeEscaped(_ byte: UInt8, to target: UnsafeMutablePointer<UInt8>) -> Int {
        target[0] = 0x5C
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            target[1] = byte
        case 0x0A: target[1] = UInt8(ascii: "n")
        case 0x0D: target[1] = UInt8(ascii: "r")
        case 0x09: target[1] = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            hex.withUTF8Buffer { hex in
                target[1] = UInt8(ascii: "u")
                target[2] = 0x30
                target[3] = 0x30
                target[4] = hex[Int(byte >> 4)]
                target[5] = hex[Int(byte & 0xF)]
            }
            return 6
        }
        return 2
    }

    private static func appendEscaped(_ byte: UInt8, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { escape in
            let written = writeEscaped(byte, to: escape.baseAddress!)
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: escape[..<written]))
        }
    }

    /// `text` as a JSON string literal.
    public static func string(_ text: String) -> String {
        var buffer: [UInt8] = []
        appendString(text.utf8, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
