/// An array parameter in PostgreSQL's text form (`{"a","b",NULL}`), so that a whole batch travels
/// in one parameter (`unnest($1::text[])`) instead of one statement per row.
///
/// Built byte by byte: a batch of thousands of rows travels as megabytes of literal, and
/// appending to a `String` scalar by scalar cost more than the statement itself.
public struct PostgresArray: Sendable {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var isEmpty = true

    public init() {}

    /// The literal of `elements`, `nil` as NULL: each element quoted, `"` and `\` escaped.
    /// Inlinable, like the one below, so that callers get it specialized for their sequence:
    /// generic, it looked up type metadata for every element.
    @inlinable
    public static func text(_ elements: some Sequence<String?>) -> String {
        var array = PostgresArray()
        for element in elements { array.append(element) }
        return array.literal
    }

    /// The literal of `elements`, which are never NULL.
    @inlinable
    public static func text(_ elements: some Sequence<String>) -> String {
        text(elements.lazy.map(Optional.some))
    }

    /// The finished literal.
    public var literal: String {
        String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self)
    }

    /// Appends an element; `nil` is NULL.
    public mutating func append(_ element: String?) {
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

    private mutating func separate() {
        if isEmpty {
            isEmpty = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `"` around the element; `"` and `\` inside escaped with `\`; runs without them copied at once.
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
