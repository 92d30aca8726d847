import Domain

/// A PostgreSQL array literal (`{"a","b",NULL}`) built byte by byte, for the array parameters
/// that carry a whole batch (`unnest($1::text[], …)`).
///
/// The same text `PostgresArray.text` makes, built faster: a batch of 5,000 instances travels
/// as megabytes of array literal, and appending to a `String` scalar by scalar cost more than
/// the statement itself. Documents and `bytea` values are written straight into the literal,
/// without an intermediate `String` each.
struct ArrayParameter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var isEmpty = true

    init() {}

    /// The literal of `elements`, `nil` as NULL.
    static func text(_ elements: some Sequence<String?>) -> String {
        var array = ArrayParameter()
        for element in elements { array.append(element) }
        return array.literal
    }

    /// The literal of `elements`.
    static func text(_ elements: some Sequence<String>) -> String {
        text(elements.lazy.map(Optional.some))
    }

    var literal: String {
        String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self)
    }

    mutating func append(_ element: String?) {
        guard var element else {
            separate()
            bytes.append(contentsOf: "NULL".utf8)
            return
        }
        if let done: Void = element.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) {
            return done
        }
        element.makeContiguousUTF8()
        append(element)
    }

    /// A document as JSON text, for a `jsonb[]` parameter.
    mutating func append(document: [String: JSONValue]) {
        var json: [UInt8] = []
        json.reserveCapacity(512)
        JSONText.appendObject(document, to: &json)
        json.withUnsafeBufferPointer { appendQuoted($0) }
    }

    /// Bytes in `bytea`'s hex input form (`\x…`), for a `bytea[]` parameter; `nil` as NULL.
    mutating func append(bytea: [UInt8]?) {
        guard let bytea else { return append(nil) }
        separate()
        // `"\\x…"`: the array literal escapes the backslash of bytea's `\x`.
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
        ByteaHex.appendDigits(of: bytea, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func separate() {
        if isEmpty {
            isEmpty = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `"` around the element; `"` and `\` inside escaped with `\`.
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<utf8.count where utf8[index] == UInt8(ascii: "\"") || utf8[index] == UInt8(ascii: "\\") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            bytes.append(UInt8(ascii: "\\"))
            start = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
    }
}
