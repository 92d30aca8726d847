/// One parameter of a statement, for the statements that carry raw bytes next to text.
///
/// Text is what most parameters are: PostgreSQL infers their type from the statement. A
/// `bytea` value of megabytes (the outbox's messages of a batch) would double in size as hex
/// text and cost the server a decode; as a binary parameter it travels as it is. So does an
/// array of JSON documents: as a text array literal every `"` in them would be escaped by us and
/// unescaped by the server.
public enum PostgresParameter: Sendable, Hashable {
    /// In PostgreSQL's text format, typed by the statement (`$1::bigint` where it cannot tell);
    /// nil is NULL.
    case text(String?)
    /// A `bytea` value, sent in binary format.
    case bytea([UInt8])
    /// A `jsonb[]` of JSON texts (none NULL), sent in binary format; the server still parses
    /// each document, and refuses one that is not JSON.
    case jsonbArray([[UInt8]])
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

    /// The OIDs of `bytea`, `jsonb` and `jsonb[]`, the same in every PostgreSQL catalogue.
    private static let byteaOID: UInt32 = 17
    private static let jsonbOID: UInt32 = 3802
    private static let jsonbArrayOID: UInt32 = 3807

    /// - Throws: ``PostgresError`` `.invalidArgument` for text that contains NUL (C would cut it
    ///   short) or a value longer than the protocol allows.
    init(_ parameters: [PostgresParameter]) throws {
        storage.reserveCapacity(parameters.reduce(0) { total, parameter in
            switch parameter {
            case .text(let text): total + (text?.utf8.count ?? 0) + 1
            case .bytea(let bytes): total + bytes.count
            case .jsonbArray(let documents): documents.reduce(total + 20) { $0 + 5 + $1.count }
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
            case .jsonbArray(let documents):
                let offset = storage.count
                appendArray(of: documents)
                guard let length = Int32(exactly: storage.count - offset) else {
                    throw PostgresError(code: .invalidArgument, message: "parameter $\(index + 1) is too long")
                }
                append(offset, length: length, format: 1, type: Self.jsonbArrayOID)
            }
        }
        // A last byte, so that an empty `bytea` at the end still points into the allocation:
        // a null pointer would mean NULL.
        storage.append(0)
    }

    /// PostgreSQL's binary array format, one dimension (none when empty), no NULLs: dimensions,
    /// null flag, element type, then length and lower bound, then each element's length and bytes, integers big-endian.
    /// A `jsonb` element is its version byte (1) and the JSON text.
    private mutating func appendArray(of documents: [[UInt8]]) {
        func int32<I: FixedWidthInteger>(_ value: I) {
            withUnsafeBytes(of: Int32(truncatingIfNeeded: value).bigEndian) { storage.append(contentsOf: $0) }
        }
        int32(documents.isEmpty ? 0 : 1)
        int32(0)
        int32(Self.jsonbOID)
        guard !documents.isEmpty else { return }
        int32(documents.count)
        int32(1)
        for document in documents {
            int32(document.count + 1)
            storage.append(1)
            storage.append(contentsOf: document)
        }
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
