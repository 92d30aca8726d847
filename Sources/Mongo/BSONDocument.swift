import CMongoC

/// A BSON document held as its encoded bytes.
///
/// A value type with no C memory behind it, so it is `Sendable` without
/// exceptions and costs nothing to keep: the bytes are copied out of libbson
/// when a document is made and lent back to libbson (as a short-lived
/// `bson_t`) only for the duration of a call. Two documents are equal when
/// their bytes are: same fields, in the same order, with the same BSON types.
///
/// Documents come from JSON text (MongoDB extended JSON, so `{"$date": …}`,
/// `{"$numberLong": "…"}` and the like keep their BSON types) and go back to
/// JSON as canonical or relaxed extended JSON.
public struct BSONDocument: Sendable, Hashable {
    /// The encoded document; valid BSON with valid UTF-8 strings by construction.
    let bytes: [UInt8]

    /// Parses JSON text (extended JSON allowed) into a document.
    ///
    /// - Parameter json: a JSON object; a top-level array or scalar is rejected.
    /// - Throws: `MongoError` with libbson's message and position when the text
    ///   is not valid JSON or not an object.
    public init(json: String) throws(MongoError) {
        let operation = "parse JSON into BSON"
        guard json.utf8.first(where: { !Self.isJSONWhitespace($0) }) == UInt8(ascii: "{") else {
            throw MongoError(
                domain: UInt32(BSON_ERROR_JSON), code: BSON_JSON_ERROR_READ_CORRUPT_JS.rawValue,
                message: "a document must be a JSON object, starting with '{'",
                operation: operation
            )
        }
        var error = bson_error_t()
        let length = json.utf8.count
        let parsed = json.withCString { text in
            text.withMemoryRebound(to: UInt8.self, capacity: length + 1) { bson_new_from_json($0, length, &error) }
        }
        guard let parsed else {
            throw MongoError(error, operation: operation)
        }
        defer { bson_destroy(parsed) }
        try self.init(copying: parsed, operation: operation)
    }

    /// Copies and validates a document that libbson or libmongoc owns.
    ///
    /// - Throws: `MongoError` when the document holds invalid UTF-8, so that
    ///   every `BSONDocument` can be rendered as JSON.
    init(copying bson: OpaquePointer, operation: String) throws(MongoError) {
        var error = bson_error_t()
        let flags = bson_validate_flags_t(BSON_VALIDATE_UTF8.rawValue | BSON_VALIDATE_UTF8_ALLOW_NULL.rawValue)
        guard bson_validate_with_error(bson, flags, &error) else {
            throw MongoError(error, operation: operation)
        }
        // Swift sees `bson_t` as opaque (C declares it 128-byte aligned), so the
        // length comes from the document's own header: a little-endian int32.
        let data = bson_get_data(bson)!
        let length = (0..<4).reduce(0) { $0 | Int(data[$1]) << (8 * $1) }
        bytes = Array(UnsafeBufferPointer(start: data, count: length))
    }

    /// The document as canonical extended JSON: every value carries its BSON
    /// type (`{"$numberInt": "1"}`), so parsing it again gives identical bytes.
    public var canonicalJSON: String {
        render { bson_as_canonical_extended_json($0, $1) }
    }

    /// The document as relaxed extended JSON, for people and for ordinary JSON
    /// parsers: numbers are plain JSON numbers, so whether one was an int32,
    /// an int64 or a double is not kept.
    public var relaxedJSON: String {
        render { bson_as_relaxed_extended_json($0, $1) }
    }

    /// The encoded size in bytes.
    public var byteCount: Int {
        bytes.count
    }

    /// Lends the document to libbson or libmongoc as a `bson_t`, valid only
    /// inside `body`: do not let the pointer escape.
    func withBSONPointer<T, E: Error>(_ body: (OpaquePointer) throws(E) -> T) throws(E) -> T {
        // bson_t is 128-byte aligned in C (Swift sees it as opaque), so libbson
        // allocates it on the heap rather than it living on the Swift stack.
        let bson = bytes.withUnsafeBufferPointer { bson_new_from_data($0.baseAddress, $0.count) }
        guard let bson else {
            preconditionFailure("BSONDocument holds valid BSON by construction")
        }
        defer { bson_destroy(bson) }
        return try body(bson)
    }

    private func render(_ toJSON: (OpaquePointer, UnsafeMutablePointer<Int>) -> UnsafeMutablePointer<CChar>?) -> String {
        withBSONPointer { bson in
            var length = 0
            guard let text = toJSON(bson, &length) else {
                preconditionFailure("libbson could not render a document validated at construction")
            }
            defer { bson_free(text) }
            return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
