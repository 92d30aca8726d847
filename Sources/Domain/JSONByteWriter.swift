/// The bytes of one piece of JSON text while it is written.
///
/// Appending to an `Array` costs about a hundred instructions a call however few the bytes (its
/// capacity and uniqueness checks, then a generic copy), and an event or a document is some fifty
/// appends of a few bytes each: writing them took an eighth of the consumer's instructions. This
/// writes into memory of its own, grown as needed, and hands the text over as an array once.
/// Noncopyable, so that the memory has exactly one owner, which frees it.
struct JSONByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    init(capacity: Int = 512) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// How many bytes are written.
    var written: Int { count }

    /// The text written, as an array of exactly its size.
    consuming func finish() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
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

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Text that is JSON already: punctuation, member names, `true`.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Text's UTF-8 as it is (a number's digits).
    mutating func appendUTF8(_ text: String) {
        withUTF8(of: text) { writer, utf8 in writer.append(utf8) }
    }

    /// A JSON string literal of `text`: quotes around it, and escaped what JSON requires.
    mutating func appendString(_ text: String) {
        withUTF8(of: text) { writer, utf8 in writer.appendString(utf8: utf8) }
    }

    /// Lends the UTF-8 of `text`. A native string lends its own storage as it is; `withUTF8`
    /// needs a `var`, and the copy into it retained and released the text every time.
    private mutating func withUTF8(of text: String, _ body: (inout Self, UnsafeBufferPointer<UInt8>) -> Void) {
        let lent: Void? = text.utf8.withContiguousStorageIfAvailable { body(&self, $0) }
        if lent == nil {
            var text = text
            text.withUTF8 { body(&self, $0) }
        }
    }

    /// A JSON string literal of UTF-8 text; see ``appendString(_:)``.
    mutating func appendString(utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        appendEscaped(utf8: utf8)
        append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string literal of `text`, for a string written in parts.
    mutating func appendEscaped(_ text: String) {
        withUTF8(of: text) { writer, utf8 in writer.appendEscaped(utf8: utf8) }
    }

    /// The inside of a JSON string literal of UTF-8 text. Most text needs no escape: it is
    /// scanned eight bytes at a time and copied whole, or, if it holds a byte to escape, in runs.
    private mutating func appendEscaped(utf8: UnsafeBufferPointer<UInt8>) {
        // At most six bytes for each (`\u001f`): reserved once, and eight more for a short text
        // stored as a whole word.
        reserve(utf8.count * 6 + 8)
        guard let source = utf8.baseAddress else { return }
        if utf8.count < 8 {
            // Gathered into one word, checked at once and stored whole; the bytes stored past
            // the text are written over by what comes next.
            var word: UInt64 = 0
            for index in 0..<utf8.count { word |= UInt64(source[index]) << (8 * UInt64(index)) }
            // Checked with spaces, which need no escape, in the bytes after the text.
            let spaces = (0x2020_2020_2020_2020 as UInt64) << (8 * UInt64(utf8.count))
            if !JSONText.anyNeedsEscape(word | spaces) {
                UnsafeMutableRawPointer(base + count).storeBytes(of: word.littleEndian, as: UInt64.self)
                count += utf8.count
                return
            }
        } else if !Self.anyNeedsEscape(atLeastEight: source, count: utf8.count) {
            (base + count).update(from: source, count: utf8.count)
            count += utf8.count
            return
        }
        var start = 0
        var index = 0
        while index < utf8.count {
            if utf8.count - index >= 8,
                !JSONText.anyNeedsEscape(UInt64(littleEndian: UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)))
            {
                index += 8
                continue
            }
            // A word that holds a byte to escape, or the last few bytes: byte by byte.
            let end = min(index + 8, utf8.count)
            while index < end {
                if JSONText.needsEscape(source[index]) {
                    copy(utf8, from: start, to: index)
                    count += JSONText.writeEscaped(source[index], to: base + count)
                    start = index + 1
                }
                index += 1
            }
        }
        copy(utf8, from: start, to: utf8.count)
    }

    /// Whether any of `count` (at least eight) bytes needs an escape, a word at a time. The last
    /// word ends where the text ends, overlapping the one before it: the few bytes after the last
    /// whole word were checked one at a time, and those loops were most of writing a short string.
    private static func anyNeedsEscape(atLeastEight source: UnsafePointer<UInt8>, count: Int) -> Bool {
        func word(at offset: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self))
        }
        var offset = 0
        while offset + 8 < count {
            if JSONText.anyNeedsEscape(word(at: offset)) { return true }
            offset += 8
        }
        return JSONText.anyNeedsEscape(word(at: count - 8))
    }

    /// Copies a run of bytes that need no escape; the room is reserved.
    private mutating func copy(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end > start, let source = utf8.baseAddress else { return }
        (base + count).update(from: source + start, count: end - start)
        count += end - start
    }

    /// An integer's decimal digits.
    mutating func appendInteger(_ value: Int64) {
        reserve(20)
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        for index in stride(from: digits - 1, through: 0, by: -1) {
            base[count + index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        }
        count += digits
    }

    /// A value as ``JSONText/value(_:)`` writes it.
    mutating func appendValue(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .number(let number): appendUTF8(number.text)
        case .string(let text): appendString(text)
        case .array(let elements):
            append(UInt8(ascii: "["))
            // Elements are read where they lie: iterating the array copied each one out, which
            // retained and released everything it holds.
            elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { append(UInt8(ascii: ",")) }
                    appendValue(elements[index])
                }
            }
            append(UInt8(ascii: "]"))
        case .object(let fields): appendObject(fields)
        }
    }

    /// An object, its members in key order, read where they lie (as an array's elements above).
    mutating func appendObject(_ fields: JSONObject) {
        append(UInt8(ascii: "{"))
        fields.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                if index > 0 { append(UInt8(ascii: ",")) }
                appendString(members[index].key)
                append(UInt8(ascii: ":"))
                appendValue(members[index].value)
            }
        }
        append(UInt8(ascii: "}"))
    }
}
