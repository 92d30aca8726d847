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
    ///
    /// The row's size is worked out first and the row written into room made for it at once:
    /// an `append` per length and per value cost about a hundred instructions each, twelve of
    /// them for an instance's row.
    static func append(_ row: [CopyBinaryValue], to buffer: inout [UInt8]) throws {
        guard let count = Int16(exactly: row.count) else {
            throw PostgresError(code: .invalidArgument, message: "a COPY row has \(row.count) fields")
        }
        var size = 2
        for value in row { size += 4 + (try payloadSize(of: value)) }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: size))
        buffer.withUnsafeMutableBytes { bytes in
            var offset = start
            func put<Integer: FixedWidthInteger>(_ integer: Integer) {
                bytes.storeBytes(of: integer.bigEndian, toByteOffset: offset, as: Integer.self)
                offset += MemoryLayout<Integer>.size
            }
            func put(_ source: UnsafeBufferPointer<UInt8>) {
                guard let base = source.baseAddress, !source.isEmpty else { return }
                (bytes.baseAddress! + offset).copyMemory(from: base, byteCount: source.count)
                offset += source.count
            }
            put(count)
            for value in row {
                switch value {
                case .null:
                    put(Int32(-1))
                case .text(let text):
                    withUTF8(of: text) { utf8 in
                        put(Int32(utf8.count))
                        put(utf8)
                    }
                case .jsonb(let json):
                    // A jsonb value in binary is its format version, 1, and the JSON text.
                    put(Int32(json.count + 1))
                    put(UInt8(1))
                    json.withUnsafeBufferPointer { put($0) }
                case .bool(let flag):
                    put(Int32(1))
                    put(UInt8(flag ? 1 : 0))
                case .int64(let number):
                    put(Int32(8))
                    put(number)
                }
            }
            assert(offset == start + size)
        }
    }

    /// The bytes of a value after its length.
    /// - Throws: ``PostgresError`` `.invalidArgument` for text with NUL or a value longer than
    ///   a length can say.
    private static func payloadSize(of value: CopyBinaryValue) throws -> Int {
        let size: Int
        switch value {
        case .null: return 0
        case .text(let text):
            guard !text.containsNUL else {
                throw PostgresError(code: .invalidArgument, message: "a COPY text value contains a NUL character")
            }
            size = text.utf8.count
        case .jsonb(let json): size = json.count + 1
        case .bool: return 1
        case .int64: return 8
        }
        guard Int32(exactly: size) != nil else {
            throw PostgresError(code: .invalidArgument, message: "a COPY value of \(size) bytes is too long")
        }
        return size
    }

    /// Lends the UTF-8 of `text` where it lies, or from a copy where it is not contiguous.
    private static func withUTF8<Result>(
        of text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        if let result = try text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return try text.withUTF8(body)
    }
}
