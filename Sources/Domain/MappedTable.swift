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
    let systemFields: [String]

    init(_ mapping: TableMapping) {
        bo = mapping.bo
        externalId = mapping.externalId
        removed = mapping.removed
        references = mapping.references
        catalogs = mapping.catalogs
        children = mapping.children
        uniqueKeys = mapping.uniqueKeys
        systemFields = mapping.systemFields
    }
}
