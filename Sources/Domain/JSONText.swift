/// Writes JSON text straight into a byte buffer.
///
/// The starter builds millions of messages a run from JSON that PostgreSQL already rendered; going
/// through `JSONEncoder` for the few fields it adds would cost more than the rest of the message.
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

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ byte: UInt8, to buffer: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            buffer.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// `text` as a JSON string literal.
    public static func string(_ text: String) -> String {
        var buffer: [UInt8] = []
        appendString(text.utf8, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
