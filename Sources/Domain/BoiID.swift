/// The id of a business-object instance.
///
/// Derived from the BO code and the externalId of the record that created the instance, not
/// drawn at random: a consumer killed and restarted creates the very same id it would have
/// created in a clean run, so the store and the published events come out identical.
public struct BoiID: StringIdentifier, Comparable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static func < (lhs: BoiID, rhs: BoiID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The length and the last eight bytes: a derived id ends in the low half of its FNV hash,
    /// which tells ids apart as well as all of its bytes, for half the instructions of hashing
    /// them all (a batch hashes each of its ids several times). Equal ids have equal bytes, so any id hashes
    /// alike to its equals; ids that differ only further forward share a bucket, and are told
    /// apart by `==`.
    public func hash(into hasher: inout Hasher) {
        let tail: UInt64? = rawValue.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            if bytes.count >= 8 { return UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self) }
            var word: UInt64 = 0
            for byte in bytes { word = word << 8 | UInt64(byte) }
            return word
        }
        hasher.combine(rawValue.utf8.count)
        if let tail { hasher.combine(tail) } else { hasher.combine(rawValue) }
    }

    /// `boi-` and the 128-bit FNV-1a hash of `<bo>\0<externalId>` in hex.
    public static func derived(from key: BOKey) -> BoiID {
        // Written in place, in one allocation: `String(_:radix:)` on a 128-bit integer, or an
        // array of the digits decoded into a string, cost more than the hashing.
        let text = String(unsafeUninitializedCapacity: derivedLength) { buffer in
            writeDerived(of: key, into: UnsafeMutableRawBufferPointer(buffer))
            return derivedLength
        }
        return BoiID(rawValue: text)
    }

    /// Whether this is the id ``derived(from:)`` gives `key`, told without making that id: the
    /// store asks it of every key a batch maps.
    public func isDerived(from key: BOKey) -> Bool {
        var id = rawValue
        return id.withUTF8 { utf8 in
            guard utf8.count == Self.derivedLength, let id = utf8.baseAddress else { return false }
            return Self.withDerivedUTF8(of: key) { derived in
                // Word by word: `elementsEqual` took thirty instructions a byte.
                guard let derived = derived.baseAddress else { return false }
                let (mine, theirs) = (UnsafeRawPointer(id), UnsafeRawPointer(derived))
                for offset in stride(from: 0, to: 32, by: 8)
                where mine.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != theirs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                {
                    return false
                }
                return mine.loadUnaligned(fromByteOffset: 32, as: UInt32.self)
                    == theirs.loadUnaligned(fromByteOffset: 32, as: UInt32.self)
            }
        }
    }

    /// Lends the UTF-8 of the id ``derived(from:)`` gives `key`, without making a string of it:
    /// for a statement that sends the derived ids of a whole batch.
    /// - Parameter body: must not keep the buffer.
    public static func withDerivedUTF8<Result>(
        of key: BOKey, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: derivedLength) { buffer in
            writeDerived(of: key, into: UnsafeMutableRawBufferPointer(buffer))
            return try body(UnsafeBufferPointer(buffer))
        }
    }

    private static let derivedLength = 36

    /// Writes the id derived from `key` into the first ``derivedLength`` bytes of `buffer`.
    private static func writeDerived(of key: BOKey, into buffer: UnsafeMutableRawBufferPointer) {
        var hash = FNV1a128()
        hash.mix(key.bo.rawValue)
        hash.mix(0)
        hash.mix(key.externalId)
        let (high, low) = (hash.high, hash.low)
        buffer[0] = UInt8(ascii: "b")
        buffer[1] = UInt8(ascii: "o")
        buffer[2] = UInt8(ascii: "i")
        buffer[3] = UInt8(ascii: "-")
        buffer.storeBytes(of: hexDigits(UInt32(truncatingIfNeeded: high >> 32)), toByteOffset: 4, as: UInt64.self)
        buffer.storeBytes(of: hexDigits(UInt32(truncatingIfNeeded: high)), toByteOffset: 12, as: UInt64.self)
        buffer.storeBytes(of: hexDigits(UInt32(truncatingIfNeeded: low >> 32)), toByteOffset: 20, as: UInt64.self)
        buffer.storeBytes(of: hexDigits(UInt32(truncatingIfNeeded: low)), toByteOffset: 28, as: UInt64.self)
    }

    /// The eight lowercase hex digits of `value`, most significant first, as the bytes of a word
    /// in memory order: each nibble spread into a byte of its own, then made a digit, all at once.
    private static func hexDigits(_ value: UInt32) -> UInt64 {
        var nibbles = UInt64(value)
        nibbles = (nibbles & 0xFFFF_0000) << 16 | nibbles & 0xFFFF
        nibbles = (nibbles & 0x0000_FF00_0000_FF00) << 8 | nibbles & 0x0000_00FF_0000_00FF
        nibbles = (nibbles & 0x00F0_00F0_00F0_00F0) << 4 | nibbles & 0x000F_000F_000F_000F
        // Now the least significant nibble is in the lowest byte: swapped, the most significant
        // comes first in memory.
        nibbles = nibbles.byteSwapped
        // 1 in each byte whose nibble is 10 or more, which becomes a letter: 'a' is 39 after '9' + 1.
        let letters = (nibbles &+ 0x0606_0606_0606_0606) >> 4 & 0x0101_0101_0101_0101
        return (nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 39).littleEndian
    }
}

/// FNV-1a with a 128-bit state, in two 64-bit halves.
private struct FNV1a128 {
    var high: UInt64 = 0x6c62_272e_07bb_0142
    var low: UInt64 = 0x62b8_2175_6295_c58d

    /// The bytes where the string keeps them: iterating `utf8` cost thirty instructions a byte.
    mutating func mix(_ text: String) {
        let mixed: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { mix(byte) }
        }
        if mixed == nil {
            for byte in text.utf8 { mix(byte) }
        }
    }

    /// FNV's 128-bit prime is 2^88 + 0x13B, so multiplying by it is a shift and a multiplication
    /// by 0x13B, not a full 128-bit product: every record derives an id up to three times.
    mutating func mix(_ byte: UInt8) {
        low ^= UInt64(byte)
        let (carry, product) = low.multipliedFullWidth(by: 0x13B)
        high = high &* 0x13B &+ carry &+ (low << 24)
        low = product
    }
}

/// A business object as the customer names it: its BO code and its externalId.
public struct BOKey: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var bo: BOCode
    public var externalId: String

    public init(bo: BOCode, externalId: String) {
        self.bo = bo
        self.externalId = externalId
    }

    public var description: String { "\(bo):\(externalId)" }

    /// The externalId and the BO code's length: a batch hashes each key several times, and the
    /// code, one of a handful, told keys apart far less than it cost to hash. Keys that differ
    /// only in a code of the same length share a bucket and are told apart by `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(externalId)
        hasher.combine(bo.rawValue.utf8.count)
    }

    public static func < (lhs: BOKey, rhs: BOKey) -> Bool {
        (lhs.bo.rawValue, lhs.externalId) < (rhs.bo.rawValue, rhs.externalId)
    }
}
