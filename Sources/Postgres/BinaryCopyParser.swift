/// Splits PostgreSQL's binary COPY stream into tuples: an 11-byte signature, flags and a
/// header extension, then per tuple an Int16 field count and per field an Int32 length
/// (-1 for NULL) followed by that many bytes, and finally the field count -1 as trailer.
/// All integers are big-endian.
///
/// The stream arrives in arbitrary chunks, so ``next(_:offset:fields:)`` parses only
/// complete tuples and reports ``Step/needMoreData`` otherwise, leaving `offset` where the
/// incomplete tuple starts.
struct BinaryCopyParser {
    enum Step: Equatable {
        /// A tuple was parsed; `fields` holds its fields.
        case tuple(fieldCount: Int)
        /// The bytes end inside the header or a tuple; call again with more.
        case needMoreData
        /// The trailer was read; the stream has ended.
        case end
    }

    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
    private static let fixedHeaderLength = 19  // signature, Int32 flags, Int32 extension length
    private static let oidsFlag: UInt32 = 1 << 16

    private(set) var sawHeader = false
    private(set) var sawTrailer = false

    /// Parses the next tuple of `bytes` from `offset`.
    /// - Parameter fields: overwritten with two entries per field: the start offset in
    ///   `bytes` and the length, -1 for NULL. Reused across calls to avoid allocating.
    mutating func next(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int, fields: inout [Int]) throws -> Step {
        var cursor = offset
        if !sawHeader {
            // Compare what is there of the signature already, so text data fails at once.
            let available = min(bytes.count - cursor, Self.signature.count)
            guard bytes[cursor..<(cursor + available)].elementsEqual(Self.signature[..<available]) else {
                throw Self.malformed("the COPY data does not start with the binary signature (not FORMAT binary?)")
            }
            guard bytes.count - cursor >= Self.fixedHeaderLength else { return .needMoreData }
            let flags = Self.uint32(bytes, at: cursor + 11)
            guard flags & Self.oidsFlag == 0 else {
                throw Self.malformed("COPY data with OIDs is not supported")
            }
            let extensionLength = Int(Int32(bitPattern: Self.uint32(bytes, at: cursor + 15)))
            guard extensionLength >= 0 else { throw Self.malformed("negative header extension length") }
            guard bytes.count - cursor >= Self.fixedHeaderLength + extensionLength else { return .needMoreData }
            cursor += Self.fixedHeaderLength + extensionLength
            offset = cursor
            sawHeader = true
        }
        if sawTrailer {
            guard cursor == bytes.count else { throw Self.malformed("data after the COPY trailer") }
            return .end
        }
        guard bytes.count - cursor >= 2 else { return .needMoreData }
        let fieldCount = Int(Int16(bitPattern: UInt16(bytes[cursor]) << 8 | UInt16(bytes[cursor + 1])))
        cursor += 2
        if fieldCount == -1 {
            sawTrailer = true
            offset = cursor
            guard cursor == bytes.count else { throw Self.malformed("data after the COPY trailer") }
            return .end
        }
        guard fieldCount >= 0 else { throw Self.malformed("negative field count \(fieldCount)") }
        fields.removeAll(keepingCapacity: true)
        for _ in 0..<fieldCount {
            guard bytes.count - cursor >= 4 else { return .needMoreData }
            let length = Int(Int32(bitPattern: Self.uint32(bytes, at: cursor)))
            cursor += 4
            if length == -1 {
                fields.append(cursor)
                fields.append(-1)
                continue
            }
            guard length >= 0 else { throw Self.malformed("negative field length \(length)") }
            guard bytes.count - cursor >= length else { return .needMoreData }
            fields.append(cursor)
            fields.append(length)
            cursor += length
        }
        offset = cursor
        return .tuple(fieldCount: fieldCount)
    }

    private static func uint32(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    private static func malformed(_ reason: String) -> PostgresError {
        PostgresError(code: .copyFailed, message: "malformed binary COPY data: \(reason)")
    }
}
