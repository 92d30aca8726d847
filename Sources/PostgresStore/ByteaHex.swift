/// `bytea` values in PostgreSQL's hex format (`\x4869`), so that binary message keys and values
/// travel as text parameters and results whatever the server's `bytea_output` setting.
enum ByteaHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two lower-case hex digits per byte, appended to `text`; after `\x`, the input form of
    /// `bytea`.
    static func appendDigits(of bytes: [UInt8], to text: inout [UInt8]) {
        // Written in place after growing once: a batch's outbox is megabytes of digits, and
        // appending them one by one cost more than encoding them.
        let start = text.count
        text.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        text.withUnsafeMutableBufferPointer { out in
            for (index, byte) in bytes.enumerated() {
                out[start + 2 * index] = digits[Int(byte >> 4)]
                out[start + 2 * index + 1] = digits[Int(byte & 0x0F)]
            }
        }
    }

    /// Bytes from plain hex digits, as `encode(column, 'hex')` returns them; `nil` for
    /// anything else.
    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
