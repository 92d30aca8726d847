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
        // The hash in two 64-bit halves. FNV's 128-bit prime is 2^88 + 0x13B, so multiplying by it
        // is a shift and a multiplication by 0x13B, not a full 128-bit product: every record
        // derives an id up to three times.
        var high: UInt64 = 0x6c62_272e_07bb_0142
        var low: UInt64 = 0x62b8_2175_6295_c58d
        func mix(_ byte: UInt8) {
            low ^= UInt64(byte)
            let (carry, product) = low.multipliedFullWidth(by: 0x13B)
            high = high &* 0x13B &+ carry &+ (low << 24)
            low = product
        }
        for byte in key.bo.rawValue.utf8 { mix(byte) }
        mix(0)
        for byte in key.externalId.utf8 { mix(byte) }
        // Written in place, in one allocation: `String(_:radix:)` on a 128-bit integer, or an
        // array of the digits decoded into a string, cost more than the hashing.
        let text = String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { digits in
                buffer[0] = UInt8(ascii: "b")
                buffer[1] = UInt8(ascii: "o")
                buffer[2] = UInt8(ascii: "i")
                buffer[3] = UInt8(ascii: "-")
                for index in 0..<16 {
                    let shift = UInt64(60 - 4 * index)
                    buffer[4 + index] = digits[Int((high >> shift) & 0xF)]
                    buffer[20 + index] = digits[Int((low >> shift) & 0xF)]
                }
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
