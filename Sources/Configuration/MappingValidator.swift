import Domain

/// Checks the `mapping` section: every in-table mapped once, every reference pointing at a BO
/// the mapping knows, system BOs carrying system fields, and every name usable in SQL.
enum MappingValidator {
    static func validate(_ mapping: MigrationMapping, _ check: Checker) throws(ConfigurationError) {
        guard !mapping.tables.isEmpty else {
            throw check.error("mapping.tables", "is empty; map at least one in-table")
        }
        try validateBOLists(mapping, check)
        var rootTables: [String: Int] = [:]
        for (index, table) in mapping.tables.enumerated() where rootTables[table.table] == nil {
            rootTables[table.table] = index
        }
        let targets = Set(mapping.tables.map(\.bo)).union(mapping.refusedBOs)
        var childTables: [String: String] = [:]
        for (index, table) in mapping.tables.enumerated() {
            let key = "mapping.tables[\(index)]"
            try check.identifier(table.table, at: "\(key).table")
            if let first = rootTables[table.table], first != index {
                throw check.error("\(key).table", "'\(table.table)' is already mapped by mapping.tables[\(first)]")
            }
            try check.notEmpty(table.bo.rawValue, at: "\(key).bo")
            try check.identifier(table.externalId, at: "\(key).externalId")
            if let removed = table.removed { try check.identifier(removed, at: "\(key).removed") }
            try validateFields(of: table, at: key, targets: targets, check)
            for (position, child) in table.children.enumerated() {
                let childKey = "\(key).children[\(position)]"
                if let root = rootTables[child.table] {
                    throw check.error(
                        "\(childKey).table", "'\(child.table)' is mapped as a root table by mapping.tables[\(root)]")
                }
                if let other = childTables[child.table] {
                    throw check.error("\(childKey).table", "'\(child.table)' is already listed at \(other)")
                }
                childTables[child.table] = childKey
            }
            try validateKeys(of: table, at: key, isSystem: mapping.isSystem(table.bo), check)
        }
    }

    static func validateBOLists(_ mapping: MigrationMapping, _ check: Checker) throws(ConfigurationError) {
        for (index, bo) in mapping.systemBOs.enumerated() {
            try check.notEmpty(bo.rawValue, at: "mapping.systemBOs[\(index)]")
        }
        for (index, bo) in mapping.refusedBOs.enumerated() {
            try check.notEmpty(bo.rawValue, at: "mapping.refusedBOs[\(index)]")
            if mapping.systemBOs.contains(bo) {
                throw check.error("mapping.refusedBOs[\(index)]", "'\(bo)' is also listed in mapping.systemBOs")
            }
        }
    }

    /// References, catalogs and children: names usable in SQL, known targets, one owner per field.
    static func validateFields(
        of table: TableMapping, at key: String, targets: Set<BOCode>, _ check: Checker
    ) throws(ConfigurationError) {
        var fields: [String: String] = [:]
        func claim(_ field: String, by owner: String) throws(ConfigurationError) {
            try check.notEmpty(field, at: "\(owner).field")
            if let other = fields[field] {
                throw check.error("\(owner).field", "'\(field)' is already the field of \(other)")
            }
            fields[field] = owner
        }
        for (index, reference) in table.references.enumerated() {
            let owner = "\(key).references[\(index)]"
            try check.identifier(reference.column, at: "\(owner).column")
            try claim(reference.field, by: owner)
            guard targets.contains(reference.target) else {
                let known = targets.map(\.rawValue).sorted().joined(separator: ", ")
                throw check.error("\(owner).target", "unknown BO '\(reference.target)' (known: \(known))")
            }
        }
        for (index, catalog) in table.catalogs.enumerated() {
            let owner = "\(key).catalogs[\(index)]"
            try check.identifier(catalog.column, at: "\(owner).column")
            try claim(catalog.field, by: owner)
            try check.notEmpty(catalog.catalog, at: "\(owner).catalog")
        }
        for (index, child) in table.children.enumerated() {
            let owner = "\(key).children[\(index)]"
            try check.identifier(child.table, at: "\(owner).table")
            try check.identifier(child.link, at: "\(owner).link")
            try claim(child.field, by: owner)
        }
    }

    /// Unique keys and system fields: no empty entries, and system BOs must name system fields.
    static func validateKeys(
        of table: TableMapping, at key: String, isSystem: Bool, _ check: Checker
    ) throws(ConfigurationError) {
        for (index, uniqueKey) in table.uniqueKeys.enumerated() {
            guard !uniqueKey.isEmpty else {
                throw check.error("\(key).uniqueKeys[\(index)]", "is empty; list the fields of the key")
            }
            for (position, field) in uniqueKey.enumerated() {
                try check.notEmpty(field, at: "\(key).uniqueKeys[\(index)][\(position)]")
            }
        }
        for (index, field) in table.systemFields.enumerated() {
            try check.notEmpty(field, at: "\(key).systemFields[\(index)]")
        }
        if isSystem, table.systemFields.isEmpty {
            throw check.error(
                "\(key).systemFields",
                "\(table.bo) is a system BO: list at least one system field, "
                    + "or its instances would have no system record")
        }
    }
}
