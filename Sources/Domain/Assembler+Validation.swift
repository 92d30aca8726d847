/// A record's values, sorted by what the mapping says they are.
struct RecordFields {
    /// Plain fields and child rows, in field name order, each once (a child field takes the
    /// place of a column of its name). As an object's members: a document is made of them as
    /// they are, without another array or a sort.
    var plain: [JSONObject.Member] = []
    var references: [(mapping: ReferenceMapping, value: JSONValue)] = []
    var catalogs: [(mapping: CatalogMapping, value: JSONValue)] = []
    var removed = false

    /// Step 2: a record with no value at all has nothing to migrate.
    var hasContent: Bool {
        removed || plain.contains { !$0.value.isEmptyValue } || references.contains { $0.value != .null }
            || catalogs.contains { $0.value != .null }
    }

    /// Puts a child field among the row's columns, in its place by name.
    mutating func setPlain(_ field: String, _ value: JSONValue) {
        let (place, found) = JSONObject.search(field, in: plain)
        if found {
            plain[place].value = value
            return
        }
        // Appended into the room reserved for it and moved into place: `insert(_:at:)` made a
        // new buffer for every record.
        plain.append(JSONObject.Member(key: field, value: value))
        plain.withUnsafeMutableBufferPointer { members in
            for index in stride(from: members.count - 1, to: place, by: -1) { members.swapAt(index, index - 1) }
        }
    }

    func value(of field: String) -> JSONValue? {
        if let plain = plain.first(where: { $0.key == field }) { return plain.value }
        if let reference = references.first(where: { $0.mapping.field == field }) { return reference.value }
        return catalogs.first { $0.mapping.field == field }?.value
    }
}

extension JSONValue {
    /// Null, or an empty array (no child rows).
    var isEmptyValue: Bool {
        switch self {
        case .null: return true
        case .array(let elements): return elements.isEmpty
        default: return false
        }
    }
}

extension Assembler {
    /// Checks a record against the mapping and sorts its values; a bad record is refused with
    /// the field and the reason.
    /// - Parameter texts: what the parser saw of the record's strings; where none holds U+0000 or
    ///   is over ``Limits/valueBytes``, they are not walked again.
    func validate(
        _ record: RecordMessage, raw: [UInt8], texts: JSONTextSummary
    ) -> Result<(MappedTable, BOKey, RecordFields), Rejection> {
        func refuse(_ field: String?, _ reason: String) -> Result<(MappedTable, BOKey, RecordFields), Rejection> {
            .failure(
                Rejection(
                    error: RecordError(
                        migrationID: record.migrationId, stage: .consume, table: record.table,
                        externalID: record.externalId, field: field, reason: reason,
                        raw: RecordError.excerpt(raw)),
                    raw: raw))
        }
        if raw.count > limits.messageBytes {
            return refuse(nil, "the message has \(raw.count) bytes, more than the limit of \(limits.messageBytes)")
        }
        guard let table = tables[record.table] else {
            return refuse(nil, "in-table '\(record.table)' is not in the mapping")
        }
        guard table.bo == record.bo else {
            return refuse("bo", "in-table '\(record.table)' maps to BO \(table.bo), the message says \(record.bo)")
        }
        if mapping.isRefused(record.bo) {
            return refuse("bo", "BO \(record.bo) is not migrated through in-migration (refused by mapping.refusedBOs)")
        }
        guard let externalId = record.externalId, !externalId.isBlank else {
            return refuse(table.externalId, "the record has no externalId (column \(table.externalId) is empty)")
        }
        let checkTexts = texts.holdsNUL || texts.longestString > limits.valueBytes
        if let reason = (checkTexts ? unstorable(.string(externalId)) : nil) ?? overlongKey(.string(externalId)) {
            return refuse(table.externalId, reason)
        }
        var fields = RecordFields()
        // Room for the reference fields too: a new instance's document is made of this array,
        // and they go into it.
        fields.plain.reserveCapacity(
            record.row.count + table.children.count + table.references.count + table.catalogs.count)
        // The row is in column-name order: of several bad columns the first by name is
        // reported, whatever order the message gave them in.
        for (column, value) in record.row {
            if checkTexts, let reason = column.containsNUL ? "its name \(Self.nulReason)" : unstorable(value) {
                return refuse(column, reason)
            }
            if column.isSame(as: table.externalId) || table.references.contains(where: { $0.column.isSame(as: column) })
                || table.catalogs.contains(where: { $0.column.isSame(as: column) })
            {
                continue
            }
            if let removed = table.removed, column.isSame(as: removed) {
                switch value {
                case .bool(let removed): fields.removed = removed
                case .null: break
                default: return refuse(column, "expected a boolean, found \(value.kindName)")
                }
                continue
            }
            fields.plain.append(JSONObject.Member(key: column, value: value))
        }
        for child in table.children {
            var rows = record.children?[child.field] ?? []
            if checkTexts, let reason = unstorable(.array(rows)) { return refuse(child.field, reason) }
            // The starter leaves the link column out; messages of earlier versions carry it.
            if rows.contains(where: { $0[child.link] != nil }) {
                rows = rows.map { row -> JSONValue in
                    guard case .object(var object) = row else { return row }
                    object[child.link] = nil
                    return .object(object)
                }
            }
            // In an order of their own: the same rows read in another order are the same document.
            if rows.count > 1 { rows.sort(by: JSONValue.canonicallyPrecedes) }
            fields.setPlain(child.field, .array(rows))
        }
        for reference in table.references {
            let value = record.row[reference.column] ?? .null
            guard Self.isReferenceValue(value, many: reference.many) else {
                return refuse(
                    reference.column,
                    "a reference to \(reference.target) expects \(reference.many ? "an array of externalIds" : "an externalId"), found \(value.kindName)"
                )
            }
            if let reason = overlongKey(value) { return refuse(reference.column, reason) }
            fields.references.append((reference, value))
        }
        for catalog in table.catalogs {
            let value = record.row[catalog.column] ?? .null
            guard Self.isReferenceValue(value, many: false) else {
                return refuse(catalog.column, "a \(catalog.catalog) code expects a string, found \(value.kindName)")
            }
            if let reason = overlongKey(value) { return refuse(catalog.column, reason) }
            fields.catalogs.append((catalog, value))
        }
        for field in table.uniqueKeys.joined() {
            if let value = fields.value(of: field), let reason = overlongKey(value) { return refuse(field, reason) }
        }
        if mapping.isSystem(table.bo) && !fields.removed
            && !table.systemFields.contains(where: { !(fields.value(of: $0) ?? .null).isEmptyValue })
        {
            return refuse(
                "systemFields",
                "\(table.bo) is a system BO: at least one of its system fields (\(table.systemFields.joined(separator: ", "))) must have a value, or the instance would exist without its system record"
            )
        }
        return .success((table, BOKey(bo: table.bo, externalId: externalId), fields))
    }

    private static func isReferenceValue(_ value: JSONValue, many: Bool) -> Bool {
        switch value {
        case .null: return true
        case .string, .number: return !many
        case .array(let elements):
            return many && elements.allSatisfy { element in
                switch element {
                case .null, .string, .number: return true
                default: return false
                }
            }
        default: return false
        }
    }

    /// Why a value cannot be stored, if it cannot: a text over ``Limits/valueBytes``, or one
    /// holding U+0000, which PostgreSQL's `text` and `jsonb` refuse (a `json` column can carry
    /// it as `\u0000`). Refused here, the record is reported and the batch goes on; let through,
    /// the store would refuse the whole batch, again after every restart.
    private func unstorable(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text):
            if text.utf8.count > limits.valueBytes {
                return "a value of \(text.utf8.count) bytes exceeds the limit of \(limits.valueBytes)"
            }
            return text.containsNUL ? Self.nulReason : nil
        case .array(let elements):
            return elements.lazy.compactMap { unstorable($0) }.first
        case .object(let object):
            // Member by member: `keys` and `values` would build two arrays per child row.
            for (key, value) in object {
                if key.containsNUL { return Self.nulReason }
                if let reason = unstorable(value) { return reason }
            }
            return nil
        default:
            return nil
        }
    }

    private static let nulReason = "contains the character U+0000, which the store cannot hold"

    /// Why a key value cannot be stored, if it cannot: an externalId, a unique-key value, a
    /// reference or a code longer than ``Limits/keyBytes``. Each is a B-tree index entry in the
    /// store, and PostgreSQL refuses entries of more than about 2.7 KB.
    func overlongKey(_ value: JSONValue) -> String? {
        switch value {
        case .array(let elements):
            return elements.lazy.compactMap { overlongKey($0) }.first
        default:
            guard let text = value.keyText, text.utf8.count > limits.keyBytes else { return nil }
            return "a key value of \(text.utf8.count) bytes exceeds the limit of \(limits.keyBytes)"
        }
    }
}
