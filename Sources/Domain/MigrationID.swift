/// The id of one claimed migration: what `process_tracking.occupied_by_process` holds.
///
/// Every claim gets a new id, so a migration taken over after its claimer died is a new migration
/// in the journal, and "exactly once per migration" can be checked by id.
public struct MigrationID: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A new id: `mig-` followed by a random lower-case UUID.
    public static func generate() -> MigrationID {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }
            .map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        let chars = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }
        return MigrationID(rawValue: "mig-" + groups.joined(separator: "-"))
    }
}
