import Config
import Domain
import Postgres

/// Discovers the in-tables' columns from the source database and checks the mapping against
/// them (seed 000: a table's structure is never hard-coded).
///
/// A mapping that names a table or column the database does not have is a configuration error:
/// it stops start-up with one message naming the file, the key and the problem.
public enum InTableCatalog {
    /// - Returns: the mapped in-tables, in mapping order, with their columns.
    /// - Throws: ``ConfigurationError`` for the first mismatch; ``PostgresError`` when the
    ///   catalogue cannot be read.
    public static func discover(
        configuration: InMigrationConfiguration, client: PostgresClient
    ) async throws -> [InTable] {
        let mapping = configuration.mapping
        let names = Set(mapping.tables.flatMap { [$0.table] + $0.children.map(\.table) })
        let rows = try await client.execute(
            """
            SELECT c.relname AS table_name, a.attname AS column_name,
                   format_type(a.atttypid, a.atttypmod) AS column_type
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """,
            [configuration.source.schema, PostgresArray.text(names.sorted())]
        )
        var catalogue: [String: [(name: String, type: String)]] = [:]
        for row in rows {
            guard let table = row["table_name"], let column = row["column_name"], let type = row["column_type"] else {
                continue
            }
            catalogue[table, default: []].append((column, type))
        }
        let unique = try await uniqueColumns(
            of: mapping.tables.map(\.table), schema: configuration.source.schema, client: client)
        return try mapping.tables.enumerated().map { index, table in
            var inTable = try check(
                table, at: "mapping.tables[\(index)]", catalogue: catalogue, configuration: configuration)
            inTable.uniqueColumns = unique[table.table] ?? []
            return inTable
        }
    }

    /// The columns of each table that a unique index of their own keeps unique (the primary key
    /// among them): valid, over that one column, with no predicate and no expression. Such a
    /// column holds each value in one row at most.
    private static func uniqueColumns(
        of tables: [String], schema: String, client: PostgresClient
    ) async throws -> [String: Set<String>] {
        let rows = try await client.execute(
            """
            SELECT c.relname AS table_name, a.attname AS column_name
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
            WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
              AND i.indisunique AND i.indisvalid AND i.indnkeyatts = 1
              AND i.indpred IS NULL AND i.indexprs IS NULL
            """,
            [schema, PostgresArray.text(tables.sorted())]
        )
        var columns: [String: Set<String>] = [:]
        for row in rows {
            guard let table = row["table_name"], let column = row["column_name"] else { continue }
            columns[table, default: []].insert(column)
        }
        return columns
    }

    private static func check(
        _ table: TableMapping, at key: String, catalogue: [String: [(name: String, type: String)]],
        configuration: InMigrationConfiguration
    ) throws -> InTable {
        let schema = configuration.source.schema
        func fail(_ subkey: String, _ problem: String) -> ConfigurationError {
            ConfigurationError(file: configuration.file, key: key + subkey, problem: problem)
        }
        guard let columns = catalogue[table.table] else {
            throw fail(".table", "table '\(table.table)' does not exist in schema '\(schema)' of the source database")
        }
        let names = Set(columns.map(\.name))
        func require(_ column: String, _ subkey: String) throws {
            guard names.contains(column) else {
                throw fail(
                    subkey,
                    "column '\(column)' does not exist in table '\(table.table)' (columns: \(columns.map(\.name).joined(separator: ", ")))"
                )
            }
        }
        try require(table.externalId, ".externalId")
        if let removed = table.removed {
            try require(removed, ".removed")
            let type = columns.first { $0.name == removed }?.type
            guard type == "boolean" else {
                throw fail(".removed", "column '\(removed)' must be boolean, the database has \(type ?? "?")")
            }
        }
        for (index, reference) in table.references.enumerated() {
            try require(reference.column, ".references[\(index)].column")
            let type = columns.first { $0.name == reference.column }?.type ?? ""
            if reference.many && !(type.hasSuffix("[]") || type == "json" || type == "jsonb") {
                throw fail(
                    ".references[\(index)].many",
                    "column '\(reference.column)' holds many references, so it must be an array or json, the database has \(type)"
                )
            }
        }
        for (index, catalog) in table.catalogs.enumerated() {
            try require(catalog.column, ".catalogs[\(index)].column")
        }
        let fields = names.union(table.references.map(\.field)).union(table.catalogs.map(\.field))
            .union(table.children.map(\.field))
        let mappedFields = Set(table.references.map(\.field)).union(table.catalogs.map(\.field))
            .union(table.children.map(\.field)).union(table.references.map(\.column)).union(table.catalogs.map(\.column))
        for (index, key) in table.uniqueKeys.enumerated() {
            for field in key where !names.contains(field) || mappedFields.contains(field) || field == table.externalId {
                throw fail(
                    ".uniqueKeys[\(index)]",
                    "field '\(field)' must be a plain column of '\(table.table)' (not the externalId, a reference, a catalog or a child field)"
                )
            }
        }
        for field in table.systemFields where !fields.contains(field) {
            throw fail(".systemFields", "field '\(field)' is neither a column nor a mapped field of '\(table.table)'")
        }
        var childColumns: [String: [(name: String, type: String)]] = [:]
        for (index, child) in table.children.enumerated() {
            guard let columns = catalogue[child.table] else {
                throw fail(
                    ".children[\(index)].table",
                    "table '\(child.table)' does not exist in schema '\(schema)' of the source database")
            }
            guard columns.contains(where: { $0.name == child.link }) else {
                throw fail(
                    ".children[\(index)].link",
                    "column '\(child.link)' does not exist in table '\(child.table)' (columns: \(columns.map(\.name).joined(separator: ", ")))"
                )
            }
            childColumns[child.table] = columns
        }
        return InTable(mapping: table, columns: columns, childColumns: childColumns)
    }
}
