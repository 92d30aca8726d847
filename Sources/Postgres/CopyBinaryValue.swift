/// One field of a row sent by ``PostgresConnection/copyIn(binary:rows:)``, in the binary
/// format of its column's type.
///
/// Binary because the rows that take this path are instances with their JSON documents: in text
/// format every backslash of a document is doubled here and undone by the server, and every
/// number and flag is rendered and parsed again.
public enum CopyBinaryValue: Sendable, Hashable {
    case null
    /// A `text` (or `varchar`) column: the UTF-8 bytes, which must not contain NUL.
    case text(String)
    /// A `jsonb` column: JSON text, which the server still parses and may refuse.
    case jsonb([UInt8])
    case bool(Bool)
    /// A `bigint` column.
    case int64(Int64)
}

/// Writes PostgreSQL's binary COPY format: a signature and two 32-bit words, then each row as
/// its field count (16 bits) and each field as its length (32 bits, -1 for NULL) and bytes, then
/// a field count of -1. Integers are big-endian.
enum CopyBinaryEncoder {
    /// `PGCOPY\n\377\r\n\0`, then the flags and the length of the header extension (both 0).
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]

    /// A field count of -1.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    /// - Throws: ``PostgresError`` `.invalidArgument` for a text value with NUL (the server
    ///   would refuse it) or a row with more fields than the format can count.
    static func append(_ row: [CopyBinaryValue], to buffer: inout [UInt8]) throws {
        guard let count = Int16(exactly: row.count) else {
            throw PostgresError(code: .invalidArgument, message: "a COPY row has \(row.count) fields")
        }
        append(count, to: &buffer)
        for value in row {
            switch value {
            case .null:
                append(Int32(-1), to: &buffer)
            case .text(let text):
                guard !text.containsNUL else {
                    throw PostgresError(code: .invalidArgument, message: "a COPY text value contains a NUL character")
                }
                try append(length: text.utf8.count, to: &buffer)
                buffer.append(contentsOf: text.utf8)
            case .jsonb(let json):
                // A jsonb value in binary is its format version, 1, and the JSON text.
                try append(length: json.count + 1, to: &buffer)
                buffer.append(1)
                buffer.append(contentsOf: json)
            case .bool(let flag):
                append(Int32(1), to: &buffer)
                buffer.append(flag ? 1 : 0)
            case .int64(let number):
                append(Int32(8), to: &buffer)
                append(number, to: &buffer)
            }
        }
    }

    private static func append(length: Int, to buffer: inout [UInt8]) throws {
        guard let length = Int32(exactly: length) else {
            throw PostgresError(code: .invalidArgument, message: "a COPY value of \(length) bytes is too long")
        }
        append(length, to: &buffer)
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}
