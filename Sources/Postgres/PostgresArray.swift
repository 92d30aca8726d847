/// An array parameter in PostgreSQL's text form (`{"a","b",NULL}`), so that a whole batch travels
/// in one parameter (`unnest($1::text[])`) instead of one statement per row.
///
/// Written into memory of its own, grown as needed: a batch of thousands of rows travels as
/// megabytes of literal, and appending to a `String` scalar by scalar cost more than the
/// statement itself; appending to an `Array` cost about a hundred instructions a call, four calls
/// an element. Noncopyable, so that the memory has exactly one owner, which frees it.
public struct PostgresArray: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity = 256
    /// Bytes written, the opening `{` among them.
    private var count = 1

    public init() {
        base = .allocate(capacity: capacity)
        base[0] = UInt8(ascii: "{")
    }

    deinit { base.deallocate() }

    /// The literal of `elements`, `nil` as NULL: each element quoted, `"` and `\` escaped.
    /// Inlinable, like the one below, so that callers get it specialized for their sequence:
    /// generic, it looked up type metadata for every element.
    @inlinable
    public static func text(_ elements: some Sequence<String?>) -> String {
        var array = PostgresArray()
        for element in elements { array.append(element) }
        return array.finish()
    }

    /// The literal of `elements`, which are never NULL.
    @inlinable
    public static func text(_ elements: some Sequence<String>) -> String {
        text(elements.lazy.map(Optional.some))
    }

    /// The finished literal.
    public consuming func finish() -> String {
        reserve(1)
        base[count] = UInt8(ascii: "}")
        return String(decoding: UnsafeBufferPointer(start: base, count: count + 1), as: UTF8.self)
    }

    /// Appends an element; `nil` is NULL.
    public mutating func append(_ element: String?) {
        guard var element else {
            reserve(5)
            separate()
            for byte in "NULL".utf8 { base[count] = byte; count += 1 }
            return
        }
        if let done: Void = element.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) {
            return done
        }
        element.makeContiguousUTF8()
        append(element)
    }

    /// Appends an element given as its UTF-8, which must be valid.
    public mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        appendQuoted(utf8)
    }

    /// Room for `more` bytes after what is written.
    private mutating func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        var grown = capacity * 2
        while grown < count + more { grown *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = grown
    }

    /// A comma before every element but the first; room reserved by the caller.
    private mutating func separate() {
        if count > 1 {
            base[count] = UInt8(ascii: ",")
            count += 1
        }
    }

    /// `"` around the element; `"` and `\` inside escaped with `\`.
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        // At most two bytes for each, a comma and two quotes.
        reserve(utf8.count * 2 + 3)
        separate()
        base[count] = UInt8(ascii: "\"")
        count += 1
        // Whole words without either byte first: ids and keys have none.
        var index = 0
        if let source = utf8.baseAddress {
            while utf8.count - index >= 8 {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                if Self.holdsQuoteOrBackslash(word) { break }
                UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
                count += 8
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                base[count] = UInt8(ascii: "\\")
                count += 1
            }
            base[count] = byte
            count += 1
            index += 1
        }
        base[count] = UInt8(ascii: "\"")
        count += 1
    }

    /// Whether a byte of `word` is `"` or `\`: such a byte, xor-ed with its own value, is the zero
    /// byte that borrows when one is subtracted from each byte.
    private static func holdsQuoteOrBackslash(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & (ones &* 0x80) != 0
    }
}
