/// The code of a business-object type (the seed's `boId`): `Person`, `Department`, `Contract`…
///
/// A distinct type rather than a bare `String` so that a BO code can never be passed where a
/// table name or an externalId is expected.
public struct BOCode: StringIdentifier, Comparable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static func < (lhs: BOCode, rhs: BOCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// System BOs need at least one system field migrated, or no system record would exist (seed 001).
    public static let systemDefaults: [BOCode] = ["Person", "Department", "PersonGroup"]
    /// Company is never migrated through in-migration (seed 001).
    public static let refusedDefaults: [BOCode] = ["Company"]
}
