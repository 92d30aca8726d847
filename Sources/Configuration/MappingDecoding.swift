import Domain

/// Reads the `mapping` section into the domain's ``MigrationMapping``, requiring each table's
/// `table`, `bo` and `externalId` and each reference's, catalog's and child's own required keys.
enum MappingDecoding {
    enum MappingKey: String, CaseIterable { case tables, systemBOs, refusedBOs }
    enum TableKey: String, CaseIterable {
        case table, bo, externalId, removed, references, catalogs, children, uniqueKeys, systemFields
    }
    enum ReferenceKey: String, CaseIterable { case column, field, target, many }
    enum CatalogKey: String, CaseIterable { case column, field, catalog }
    enum ChildKey: String, CaseIterable { case table, link, field }

    static func mapping(from value: YAMLValue) throws(ConfigurationError) -> MigrationMapping {
        let section = try value.section(MappingKey.self)
        guard let tablesValue = section[.tables] else {
            throw section.missing(.tables, hint: "map at least one in-table")
        }
        var tables: [TableMapping] = []
        for item in try tablesValue.list() { tables.append(try table(item)) }
        var mapping = MigrationMapping(tables: tables)
        if let item = section[.systemBOs] { mapping.systemBOs = try item.strings().map { BOCode($0) } }
        if let item = section[.refusedBOs] { mapping.refusedBOs = try item.strings().map { BOCode($0) } }
        return mapping
    }

    static func table(_ value: YAMLValue) throws(ConfigurationError) -> TableMapping {
        let section = try value.section(TableKey.self)
        var table = TableMapping(
            table: try section.required(.table).string(), bo: BOCode(try section.required(.bo).string()),
            externalId: try section.required(.externalId).string())
        table.removed = try section[.removed]?.string()
        if let item = section[.references] {
            for entry in try item.list() { table.references.append(try reference(entry)) }
        }
        if let item = section[.catalogs] {
            for entry in try item.list() { table.catalogs.append(try catalog(entry)) }
        }
        if let item = section[.children] {
            for entry in try item.list() { table.children.append(try child(entry)) }
        }
        if let item = section[.uniqueKeys] {
            for key in try item.list() {
                guard key.isList else { throw key.typeError(expected: "a list of field names") }
                table.uniqueKeys.append(try key.strings())
            }
        }
        if let item = section[.systemFields] { table.systemFields = try item.strings() }
        return table
    }

    static func reference(_ value: YAMLValue) throws(ConfigurationError) -> ReferenceMapping {
        let section = try value.section(ReferenceKey.self)
        return ReferenceMapping(
            column: try section.required(.column).string(), field: try section[.field]?.string(),
            target: BOCode(try section.required(.target).string()), many: try section[.many]?.bool() ?? false)
    }

    static func catalog(_ value: YAMLValue) throws(ConfigurationError) -> CatalogMapping {
        let section = try value.section(CatalogKey.self)
        return CatalogMapping(
            column: try section.required(.column).string(), field: try section[.field]?.string(),
            catalog: try section.required(.catalog).string())
    }

    static func child(_ value: YAMLValue) throws(ConfigurationError) -> ChildTableMapping {
        let section = try value.section(ChildKey.self)
        return ChildTableMapping(
            table: try section.required(.table).string(), link: try section.required(.link).string(),
            field: try section[.field]?.string())
    }
}
