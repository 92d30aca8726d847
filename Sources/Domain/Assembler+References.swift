extension Assembler {
    /// Step 5, second half: BO and CO fields. An existing target gives its boiId (or catalog
    /// entry id); a missing one is parked and the field stays null until it arrives.
    /// - Parameter isNew: the instance is created by this record, so none of its fields waits for
    ///   anything yet: there is no parking to clear (two hash lookups a field saved).
    func resolveReferences(
        of instance: inout BOIInstance, isNew: Bool, table: MappedTable, fields: RecordFields,
        record: RecordMessage, statsKey: StatsKey, in set: inout WorkingSet
    ) {
        let ownKey = BOKey(bo: table.bo, externalId: record.externalId ?? "")
        for (reference, value) in fields.references {
            if !isNew { set.clearParking(ReferenceField(source: instance.boiId, field: reference.field)) }
            if mapping.isRefused(reference.target) && value != .null {
                set.warn(
                    RecordError(
                        migrationID: record.migrationId, stage: .consume, table: record.table,
                        externalID: record.externalId, field: reference.column,
                        reason: "references BO \(reference.target), which is not migrated (refused); the field is left empty"))
                instance.document[reference.field] = reference.many ? .array([]) : .null
                continue
            }
            func resolve(_ element: JSONValue, position: Int?) -> JSONValue {
                guard let externalId = element.keyText else { return .null }
                let target = BOKey(bo: reference.target, externalId: externalId)
                if let id = set.boiIDs[target] ?? (target == ownKey ? instance.boiId : nil) {
                    return .string(id.rawValue)
                }
                set.park(
                    ParkedReference(
                        source: instance.boiId, field: reference.field, position: position, target: .object(target),
                        migrationID: record.migrationId))
                set.count(statsKey) { $0.refsParked += 1 }
                return .null
            }
            if case .array(let elements) = value {
                instance.document[reference.field] = .array(
                    elements.enumerated().map { resolve($0.element, position: $0.offset) })
            } else {
                instance.document[reference.field] = resolve(value, position: nil)
            }
        }
        for (catalog, value) in fields.catalogs {
            if !isNew { set.clearParking(ReferenceField(source: instance.boiId, field: catalog.field)) }
            guard let code = value.keyText else {
                instance.document[catalog.field] = .null
                continue
            }
            let key = CatalogEntryKey(catalog: catalog.catalog, code: code)
            if let id = set.catalog[key] {
                instance.document[catalog.field] = .string(id)
            } else {
                set.park(
                    ParkedReference(
                        source: instance.boiId, field: catalog.field, position: nil,
                        target: .catalogEntry(catalog: key.catalog, code: key.code), migrationID: record.migrationId))
                set.count(statsKey) { $0.refsParked += 1 }
                instance.document[catalog.field] = .null
            }
        }
    }

    /// Step 9: fills every parked reference that waited for `key`, one change event per waiting
    /// instance.
    func resolveWaiting(
        for key: BOKey, with id: BoiID, record: RecordMessage, statsKey: StatsKey, in set: inout WorkingSet
    ) {
        fill(set.waiting(for: .object(key)), with: id.rawValue, record: record, statsKey: statsKey, in: &set)
    }

    /// Writes `value` into each waiting slot, grouped by instance, and unparks the slots.
    func fill(
        _ waiting: [ParkedReference], with value: String, record: RecordMessage, statsKey: StatsKey,
        in set: inout WorkingSet
    ) {
        guard !waiting.isEmpty else { return }
        var bySource: [BoiID: [ParkedReference]] = [:]
        for reference in waiting { bySource[reference.source, default: []].append(reference) }
        for source in bySource.keys.sorted() {
            guard var instance = set.instances[source] else { continue }
            let before = instance
            for reference in bySource[source] ?? [] {
                if let position = reference.position {
                    guard case .array(var elements) = instance.document[reference.field] ?? .null else { continue }
                    while elements.count <= position { elements.append(.null) }
                    elements[position] = .string(value)
                    instance.document[reference.field] = .array(elements)
                } else {
                    instance.document[reference.field] = .string(value)
                }
                set.unpark(reference.slot)
                set.count(statsKey) { $0.refsResolved += 1 }
            }
            commit(consume instance, before: before, isCreate: false, record: record, in: &set, countUnder: nil)
        }
    }
}
