import Domain

/// A mapped in-table as the source database has it: the mapping plus the columns discovered from
/// the catalogue at run time.
public struct InTable: Sendable, Hashable {
    public var mapping: TableMapping
    /// Column name → PostgreSQL type, in table order.
    public var columns: [(name: String, type: String)]
    /// The same for each child table, by child table name.
    public var childColumns: [String: [(name: String, type: String)]]
    /// The columns that a unique index of their own (or the primary key) keeps unique: no
    /// partial or expression index, no other key column.
    public var uniqueColumns: Set<String> = []

    public var name: String { mapping.table }

    public func type(of column: String) -> String? {
        columns.first { $0.name == column }?.type
    }

    public static func == (lhs: InTable, rhs: InTable) -> Bool {
        lhs.mapping == rhs.mapping && lhs.columns.map(\.name) == rhs.columns.map(\.name)
            && lhs.columns.map(\.type) == rhs.columns.map(\.type) && lhs.uniqueColumns == rhs.uniqueColumns
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mapping)
        hasher.combine(columns.map(\.name))
    }
}
