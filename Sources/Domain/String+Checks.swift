/// Checks every record's texts go through, so they are written for speed.
extension String {
    /// Holds U+0000, which PostgreSQL's `text` and `jsonb` refuse. Checked for every value of
    /// every record: a contiguous string is searched as a buffer, not character by character.
    public var containsNUL: Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? utf8.contains(0)
    }

    /// Empty or only whitespace. A visible ASCII first byte, as nearly every id has, settles it
    /// without walking the text's characters (a grapheme break search for each of them).
    var isBlank: Bool {
        if let first = utf8.first, first > 0x20, first < 0x7F { return false }
        return allSatisfy(\.isWhitespace)
    }
}
