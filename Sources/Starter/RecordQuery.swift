import Domain
import Postgres

/// The SQL that reads an in-table for streaming.
///
/// PostgreSQL renders each row as JSON (`row_to_json`) and gathers its child rows in the same
/// statement; the result comes through `COPY … TO STDOUT (FORMAT binary)`, which streams with flat
/// memory however large the table, and is never re-parsed on our side. Whole rows are named
/// `t.*`, never `t`: PostgreSQL reads a bare `t` as a column of that name where the table has one.
enum RecordQuery {
    /// Columns: externalId as text, the row as JSON, the child rows (without their link column)
    /// as one JSON object (or NULL when the table has none), the number of child rows as text,
    /// and the unique-key value that keys the message: the ``InTable/partitionKeyColumns`` values
    /// (see ``uniqueKeyColumn(of:)``), or NULL when the table has no such columns or one of them
    /// is NULL in this row. PostgreSQL renders it, so equal values give equal text. Child rows
    /// come in no particular order: the consumer sorts them.
    /// - Parameters:
    ///   - share: which of `shares` parts of the table to read: the rows whose message key (the
    ///     unique-key value, else the externalId) hashes to it. Records that share a key are in
    ///     one share, in the order one statement over the whole table reads them.
    static func copyStatement(for table: InTable, schema: String, share: Int = 0, of shares: Int = 1) -> String {
        let source = qualified(schema, table.name)
        let externalId = externalIdColumn(of: table)
        var joins = ""
        var members: [String] = []
        var counts: [String] = []
        for (index, child) in table.mapping.children.enumerated() {
            let alias = "ch\(index)"
            let link = "c." + PostgresConnection.quoteIdentifier(child.link)
            let linkType = table.childColumns[child.table]?.first { $0.name == child.link }?.type
            let condition =
                linkType == table.type(of: table.mapping.externalId)
                ? "\(link) = \(externalId)" : "\(link)::text = \(externalId)::text"
            // Each child row is rendered once and joined as text, in no particular order: the
            // consumer sorts them (``JSONValue/canonicallyPrecedes(_:_:)``). Sorting here cost
            // PostgreSQL a sort per record, an eighth of reading `in_person` with its phones.
            joins += """
                 LEFT JOIN LATERAL (SELECT '[' || coalesce(string_agg(s.row, ','), '') || ']' AS rows, \
                count(*) AS n \
                FROM (SELECT row_to_json(r.*)::text AS row FROM (SELECT \(childValues(child, of: table)) \
                FROM \(qualified(schema, child.table)) c WHERE \(condition)) r) s) \
                \(alias) ON true
                """
            members.append("\(PostgresConnection.quoteLiteral(JSONText.string(child.field) + ":")) || \(alias).rows")
            counts.append("\(alias).n")
        }
        let children = members.isEmpty ? "NULL" : "'{' || \(members.joined(separator: " || ',' || ")) || '}'"
        let childCount = counts.isEmpty ? "'0'" : "(\(counts.joined(separator: " + ")))::text"
        let uniqueKey = uniqueKeyColumn(of: table)
        // Every row in exactly one share: a NULL key hashes as the empty text.
        let filter =
            shares > 1
            ? " WHERE (hashtext(\(messageKey(of: table))) & 2147483647) % \(shares) = \(share)"
            : ""
        return """
            COPY (SELECT \(externalId)::text, row_to_json(t.*)::text, \(children), \(childCount), \(uniqueKey) \
            FROM \(source) t\(joins)\(filter)) TO STDOUT (FORMAT binary)
            """
    }

    /// The columns of a child row that go into the message: all but the link, which only repeats
    /// the parent's externalId (the consumer drops it) and was a tenth of `in_person`'s COPY time.
    /// The whole row when the child table's columns were not discovered.
    static func childValues(_ child: ChildTableMapping, of table: InTable) -> String {
        guard let columns = table.childColumns[child.table] else { return "c.*" }
        return columns.filter { $0.name != child.link }
            .map { "c." + PostgresConnection.quoteIdentifier($0.name) }.joined(separator: ", ")
    }

    /// The unique-key column of ``copyStatement(for:schema:share:of:)``, NULL when a value is: a key of
    /// one column as its text (a quarter of a second per million rows cheaper than an array), a
    /// key of several as a JSON array of their values.
    static func uniqueKeyColumn(of table: InTable) -> String {
        guard let columns = table.partitionKeyColumns else { return "NULL" }
        let values = columns.map { "t." + PostgresConnection.quoteIdentifier($0) }
        if values.count == 1 { return "\(values[0])::text" }
        let present = values.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
        return "CASE WHEN \(present) THEN json_build_array(\(values.joined(separator: ", ")))::text END"
    }

    /// The value a row's message is keyed by, as text and never NULL: its unique-key value
    /// (``uniqueKeyColumn(of:)``), else its externalId, else empty. It decides a row's share of
    /// ``copyStatement(for:schema:share:of:)``, and it is what
    /// ``externalIdsWithSeveralKeys(for:schema:limit:)`` compares.
    static func messageKey(of table: InTable) -> String {
        let externalId = externalIdColumn(of: table)
        return "coalesce(\(uniqueKeyColumn(of: table)), \(externalId)::text, '')"
    }

    /// The externalIds whose rows differ in the value that keys their messages (the unique key,
    /// see ``copyStatement(for:schema:share:of:)``), in externalId order, at most `limit`: such
    /// rows travel on different partitions, so the consumer applies them in no set order.
    /// Columns: `external_id`, `rows`. One hash aggregation over the table: at 940,000 rows about
    /// a second, where counting distinct keys per externalId (two aggregations) took two.
    static func externalIdsWithSeveralKeys(for table: InTable, schema: String, limit: Int) -> String {
        let externalId = externalIdColumn(of: table)
        let key = messageKey(of: table)
        return """
            SELECT \(externalId)::text AS external_id, count(*) AS rows FROM \(qualified(schema, table.name)) t
            WHERE \(externalId) IS NOT NULL GROUP BY 1 HAVING min(\(key)) <> max(\(key))
            ORDER BY 1 LIMIT \(limit)
            """
    }

    /// Reads only the externalIds: for refused tables, whose records are reported, not streamed.
    static func externalIds(for table: InTable, schema: String) -> String {
        let externalId = externalIdColumn(of: table)
        return "COPY (SELECT \(externalId)::text FROM \(qualified(schema, table.name)) t) TO STDOUT (FORMAT binary)"
    }

    static func count(for table: InTable, schema: String) -> String {
        "SELECT count(*) AS n FROM \(qualified(schema, table.name))"
    }

    /// The externalId column of the row `t`, quoted.
    private static func externalIdColumn(of table: InTable) -> String {
        "t." + PostgresConnection.quoteIdentifier(table.mapping.externalId)
    }

    private static func qualified(_ schema: String, _ table: String) -> String {
        PostgresConnection.quoteIdentifier(schema) + "." + PostgresConnection.quoteIdentifier(table)
    }
}
