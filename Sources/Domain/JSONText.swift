/// Writes JSON text straight into a byte buffer.
///
/// The starter builds millions of messages a run from JSON that PostgreSQL already rendered; going
/// through `JSONEncoder` for the few fields it adds would cost more than the rest of the message.
public enum JSONText {
    /// Appends `bytes` (UTF-8 text) as a JSON string literal, quotes included.
    public static func appendString(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal.
    public static func string(_ text: String) -> String {
        var buffer: [UInt8] = []
        appendString(text.utf8, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
