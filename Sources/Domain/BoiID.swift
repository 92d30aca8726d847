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
        // Digit by digit: every new instance derives its id, and `String(_:radix:)` on a
        // 128-bit integer cost as much as the rest of creating it.
        let digits = Array("0123456789abcdef".utf8)
        var text = Array("boi-".utf8)
        for shift in stride(from: 124, through: 0, by: -4) {
            text.append(digits[Int(truncatingIfNeeded: hash >> UInt128(shift)) & 0xF])
        }
        return BoiID(rawValue: String(decoding: text, as: UTF8.self))
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
