/// A table's mapping as the assembler holds it: once, shared by reference.
///
/// The assembler looks a record's table up several times a record (its key, what to preload,
/// the checks), and each lookup of a ``TableMapping`` struct copied its nine members, retaining
/// and releasing each. A class is lent with one retain. Its members are constants of `Sendable`
/// types, so it is `Sendable` as it stands.
final class MappedTable: Sendable {
    let bo: BOCode
    let externalId: String
    let removed: String?
    let references: [ReferenceMapping]
    let catalogs: [CatalogMapping]
    let children: [ChildTableMapping]
    let uniqueKeys: [[String]]
    /// Where each of `uniqueKeys` is in ``Assembler/uniqueKeys`` (the first of equal ones).
    let uniqueKeyPositions: [Int]
    let systemFields: [String]

    init(_ mapping: TableMapping, uniqueKeys all: [UniqueKeyMapping]) {
        bo = mapping.bo
        externalId = mapping.externalId
        removed = mapping.removed
        references = mapping.references
        catalogs = mapping.catalogs
        children = mapping.children
        uniqueKeys = mapping.uniqueKeys
        uniqueKeyPositions = mapping.uniqueKeys.map { fields in
            guard let position = all.firstIndex(of: UniqueKeyMapping(bo: mapping.bo, fields: fields)) else {
                preconditionFailure("unique key \(fields) of \(mapping.table) is not among the mapping's unique keys")
            }
            return position
        }
        systemFields = mapping.systemFields
    }
}

/// The mapped tables by name, looked up several times a record. A handful are found by
/// comparing the name with each (a short name compares in a few instructions, where hashing it
/// cost some three hundred); many are hashed.
struct MappedTables: Sendable {
    private let names: [String]
    private let tables: [MappedTable]
    private let byName: [String: MappedTable]?

    /// Of a table given twice, the first counts.
    /// - Parameter uniqueKeys: every unique key of the mapping, as ``Assembler/uniqueKeys``.
    init(_ mappings: [TableMapping], uniqueKeys: [UniqueKeyMapping]) {
        var names: [String] = []
        var tables: [MappedTable] = []
        for mapping in mappings where !names.contains(mapping.table) {
            names.append(mapping.table)
            tables.append(MappedTable(mapping, uniqueKeys: uniqueKeys))
        }
        self.names = names
        self.tables = tables
        byName = names.count > 8 ? Dictionary(uniqueKeysWithValues: zip(names, tables)) : nil
    }

    subscript(name: String) -> MappedTable? {
        if let byName { return byName[name] }
        return names.firstIndex { $0.isSame(as: name) }.map { tables[$0] }
    }
}
