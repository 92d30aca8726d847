/// One parameter of a statement, for the statements that carry raw bytes next to text.
///
/// Text is what most parameters are: PostgreSQL infers their type from the statement. A
/// `bytea` value of megabytes (the outbox's messages of a batch) would double in size as hex
/// text and cost the server a decode; as a binary parameter it travels as it is.
public enum PostgresParameter: Sendable, Hashable {
    /// In PostgreSQL's text format, typed by the statement (`$1::bigint` where it cannot tell);
    /// nil is NULL.
    case text(String?)
    /// A `bytea` value, sent in binary format.
    case bytea([UInt8])
}

/// The parameters of one `PQexecParams` call laid out for C: values in one allocation, with
/// their lengths, formats and type OIDs.
struct CParameters {
    /// Bytes of every value; text values NUL-terminated.
    private var storage: [UInt8] = []
    /// Each value's offset in `storage`; nil for NULL.
    private var offsets: [Int?] = []
    private(set) var lengths: [Int32] = []
    private(set) var formats: [Int32] = []
    private(set) var types: [UInt32] = []

    /// The OID of `bytea` in every PostgreSQL catalogue.
    private static let byteaOID: UInt32 = 17

    /// - Throws: ``PostgresError`` `.invalidArgument` for text that contains NUL (C would cut it
    ///   short) or a value longer than the protocol allows.
    init(_ parameters: [PostgresParameter]) throws {
        storage.reserveCapacity(parameters.reduce(0) { total, parameter in
            switch parameter {
            case .text(let text): total + (text?.utf8.count ?? 0) + 1
            case .bytea(let bytes): total + bytes.count
            }
        })
        for (index, parameter) in parameters.enumerated() {
            switch parameter {
            case .text(nil):
                append(nil, length: 0, format: 0, type: 0)
            case .text(let text?):
                guard !text.containsNUL else {
                    throw PostgresError(code: .invalidArgument, message: "parameter $\(index + 1) contains a NUL character")
                }
                let offset = storage.count
                storage.append(contentsOf: text.utf8)
                storage.append(0)
                append(offset, length: 0, format: 0, type: 0)
            case .bytea(let bytes):
                guard let length = Int32(exactly: bytes.count) else {
                    throw PostgresError(code: .invalidArgument, message: "parameter $\(index + 1) is too long")
                }
                let offset = storage.count
                storage.append(contentsOf: bytes)
                append(offset, length: length, format: 1, type: Self.byteaOID)
            }
        }
        // A last byte, so that an empty `bytea` at the end still points into the allocation:
        // a null pointer would mean NULL.
        storage.append(0)
    }

    private mutating func append(_ offset: Int?, length: Int32, format: Int32, type: UInt32) {
        offsets.append(offset)
        lengths.append(length)
        formats.append(format)
        types.append(type)
    }

    /// Lends the value pointers to C for the duration of `body`; they must not escape it.
    func withValues<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
        try withPointers(into: storage, at: offsets, body)
    }
}
