/// A reference whose target did not exist when its record was migrated (the seed's
/// `boi_reference`): it waits here until the target arrives, then the field is filled.
public struct ParkedReference: Hashable, Codable, Sendable {
    /// What the reference waits for.
    public enum Target: Hashable, Codable, Sendable {
        /// A business object, by BO code and externalId.
        case object(BOKey)
        /// A catalog (classifier) entry, by catalog and code.
        case catalogEntry(catalog: String, code: String)
    }

    /// The instance whose field waits.
    public var source: BoiID
    public var field: String
    /// The index in a many-valued field; `nil` for a single-valued one.
    public var position: Int?
    public var target: Target
    /// The migration whose record parked it (for the dangling report).
    public var migrationID: MigrationID

    public init(source: BoiID, field: String, position: Int?, target: Target, migrationID: MigrationID) {
        self.source = source
        self.field = field
        self.position = position
        self.target = target
        self.migrationID = migrationID
    }

    /// Identifies the slot: a source field (and position) waits for one target at a time.
    public var slot: Slot { Slot(source: source, field: field, position: position) }

    public struct Slot: Hashable, Codable, Sendable {
        public var source: BoiID
        public var field: String
        public var position: Int?
    }
}

/// One reference field of one instance, whatever position.
public struct ReferenceField: Hashable, Codable, Sendable {
    public var source: BoiID
    public var field: String

    public init(source: BoiID, field: String) {
        self.source = source
        self.field = field
    }
}

extension ParkedReference.Target: CustomStringConvertible {
    /// How people read it: `Person:P-9`, `catalog contract_status:X`.
    public var description: String {
        switch self {
        case .object(let key): key.description
        case .catalogEntry(let catalog, let code): "catalog \(catalog):\(code)"
        }
    }
}
