/// Checks every record's texts go through, so they are written for speed.
extension String {
    /// Holds U+0000, which PostgreSQL's `text` and `jsonb` refuse. Checked for every value of
    /// every record: a contiguous string is searched as a buffer, not character by character.
    public var containsNUL: Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? utf8.contains(0)
    }

    /// `==`, telling texts of different lengths apart from their lengths alone (kept in the
    /// string itself): `==` calls into the standard library for every two texts that are not the
    /// very same, and a record's columns are compared with the mapping's special columns, which
    /// they mostly are not.
    func isSame(as other: String) -> Bool {
        utf8.count == other.utf8.count && self == other
    }

    /// Empty or only whitespace. A visible ASCII first byte, as nearly every id has, settles it
    /// without walking the text's characters (a grapheme break search for each of them).
    var isBlank: Bool {
        if let first = utf8.first, first > 0x20, first < 0x7F { return false }
        return allSatisfy(\.isWhitespace)
    }
}
