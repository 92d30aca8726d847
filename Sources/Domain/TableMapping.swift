/// How one in-table becomes instances of one business object.
///
/// Only what cannot be discovered from the database is named here: the BO code, which column
/// holds the customer's id, which one says "removed", which columns are references, which tables
/// hold child rows, the unique keys and the system fields. Every other column is discovered at
/// run time and migrated as a plain field (seed 000: never hard-code a table's structure).
public struct TableMapping: Hashable, Codable, Sendable {
    /// The in-table, unqualified; it lives in the source schema.
    public var table: String
    /// The business object its records become.
    public var bo: BOCode
    /// The column holding the customer's id of the record.
    public var externalId: String
    /// A boolean column that marks the record as removed, if the table has one.
    public var removed: String?
    /// Columns that name another business object by its externalId.
    public var references: [ReferenceMapping]
    /// Columns that name a catalog/classifier entry by its code.
    public var catalogs: [CatalogMapping]
    /// Tables whose rows belong to a record of this table.
    public var children: [ChildTableMapping]
    /// Field sets that identify an instance among all instances of this BO.
    public var uniqueKeys: [[String]]
    /// Fields of the platform's system record (needed for system BOs, see ``MigrationMapping``).
    public var systemFields: [String]

    public init(
        table: String, bo: BOCode, externalId: String, removed: String? = nil,
        references: [ReferenceMapping] = [], catalogs: [CatalogMapping] = [],
        children: [ChildTableMapping] = [], uniqueKeys: [[String]] = [], systemFields: [String] = []
    ) {
        self.table = table
        self.bo = bo
        self.externalId = externalId
        self.removed = removed
        self.references = references
        self.catalogs = catalogs
        self.children = children
        self.uniqueKeys = uniqueKeys
        self.systemFields = systemFields
    }
}

/// A BO field: its column holds the externalId (or, when `many`, an array of externalIds) of
/// another business object.
public struct ReferenceMapping: Hashable, Codable, Sendable {
    public var column: String
    /// The field name in the instance; the column name unless given.
    public var field: String
    public var target: BOCode
    public var many: Bool

    public init(column: String, field: String? = nil, target: BOCode, many: Bool = false) {
        self.column = column
        self.field = field ?? column
        self.target = target
        self.many = many
    }
}

/// A CO field: its column holds the code of an entry in a catalog (classifier).
public struct CatalogMapping: Hashable, Codable, Sendable {
    public var column: String
    public var field: String
    public var catalog: String

    public init(column: String, field: String? = nil, catalog: String) {
        self.column = column
        self.field = field ?? column
        self.catalog = catalog
    }
}

/// A child table: its rows belong to the parent record whose externalId is in `link`.
public struct ChildTableMapping: Hashable, Codable, Sendable {
    public var table: String
    /// The column of the child table holding the parent's externalId.
    public var link: String
    /// The field of the instance that holds the child rows; the table name unless given.
    public var field: String

    public init(table: String, link: String, field: String? = nil) {
        self.table = table
        self.link = link
        self.field = field ?? table
    }
}
