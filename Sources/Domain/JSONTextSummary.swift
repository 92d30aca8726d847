/// What ``JSONParser`` learned about every string of a document while reading it: the longest
/// one's length and whether any holds U+0000.
///
/// Why: the store cannot hold U+0000 nor a text over ``Assembler/Limits/valueBytes``, so every
/// value and name of every record is checked for both. Where the parser saw neither, the
/// assembler skips walking the record again (a fiftieth of the consumer's instructions).
public struct JSONTextSummary: Sendable, Hashable {
    /// UTF-8 bytes of the longest string, names included.
    public var longestString: Int
    /// Some string holds U+0000 (only a `\u0000` escape can put it there: the parser refuses a raw
    /// control character).
    public var holdsNUL: Bool

    public init(longestString: Int, holdsNUL: Bool) {
        self.longestString = longestString
        self.holdsNUL = holdsNUL
    }

    /// Nothing known: every string has to be checked.
    public static let unknown = JSONTextSummary(longestString: .max, holdsNUL: true)

    /// Before the first string.
    static let empty = JSONTextSummary(longestString: 0, holdsNUL: false)
}
