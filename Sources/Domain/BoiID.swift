/// The id of a business-object instance.
///
/// Derived from the BO code and the externalId of the record that created the instance, not
/// drawn at random: a consumer killed and restarted creates the very same id it would have
/// created in a clean run, so the store and the published events come out identical.
public struct BoiID: StringIdentifier, Comparable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static func < (lhs: BoiID, rhs: BoiID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `boi-` and the 128-bit FNV-1a hash of `<bo>\0<externalId>` in hex.
    public static func derived(from key: BOKey) -> BoiID {
        var hash: UInt128 = 0x6c62272e07bb014262b821756295c58d
        let prime: UInt128 = 0x0000000001000000000000000000013B
        func mix(_ byte: UInt8) {
            hash ^= UInt128(byte)
            hash = hash &* prime
        }
        for byte in key.bo.rawValue.utf8 { mix(byte) }
        mix(0)
        for byte in key.externalId.utf8 { mix(byte) }
        // Written in place, digit by digit, in one allocation: every record derives an id up to
        // three times, and `String(_:radix:)` on a 128-bit integer, or an array of the digits
        // decoded into a string, cost more than the hashing.
        let text = String(unsafeUninitializedCapacity: 36) { buffer in
            for (index, byte) in "boi-".utf8.enumerated() { buffer[index] = byte }
            for digit in 0..<32 {
                let nibble = UInt8(truncatingIfNeeded: hash >> UInt128(124 - 4 * digit)) & 0xF
                buffer[4 + digit] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
            }
            return 36
        }
        return BoiID(rawValue: text)
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

    public static func < (lhs: BOKey, rhs: BOKey) -> Bool {
        (lhs.bo.rawValue, lhs.externalId) < (rhs.bo.rawValue, rhs.externalId)
    }
}
