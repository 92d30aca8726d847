/// The whole mapping of in-tables to business objects, with the rules that apply across them.
public struct MigrationMapping: Hashable, Codable, Sendable {
    public var tables: [TableMapping]
    /// BOs whose records must carry at least one system field (seed 001).
    public var systemBOs: [BOCode]
    /// BOs that in-migration never migrates; their records are refused with an error.
    public var refusedBOs: [BOCode]

    public init(
        tables: [TableMapping], systemBOs: [BOCode] = BOCode.systemDefaults,
        refusedBOs: [BOCode] = BOCode.refusedDefaults
    ) {
        self.tables = tables
        self.systemBOs = systemBOs
        self.refusedBOs = refusedBOs
    }

    /// Every BO code the mapping knows: mapped, system and refused ones.
    public var knownBOs: Set<BOCode> {
        Set(tables.map(\.bo)).union(systemBOs).union(refusedBOs)
    }

    public func isRefused(_ bo: BOCode) -> Bool { refusedBOs.contains(bo) }
    public func isSystem(_ bo: BOCode) -> Bool { systemBOs.contains(bo) }

    /// The in-tables whose records are streamed, in mapping order.
    public var migratedTables: [TableMapping] { tables.filter { !isRefused($0.bo) } }
    /// The in-tables mapped to a refused BO: their records are rejected, never streamed.
    public var refusedTables: [TableMapping] { tables.filter { isRefused($0.bo) } }
}
