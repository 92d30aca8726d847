/// Turns in-table records into business-object instances: the seed's nine steps
/// (`InMigrationKafkaRegisterImpl`), on a ``WorkingSet``, without any I/O.
///
/// For each record: gather its row and child rows (1); skip it when there is nothing to migrate
/// (2); find its instance by (externalId, BO) (3); a removed record makes the instance not actual
/// and stops (4); fill the changes, plain fields first, then BO and CO references, parking those
/// whose target does not exist yet (5); publish only a real change, otherwise just touch (6); a
/// unique-key clash merges the record into the instance that holds the key (7); remember the new
/// mapping (8); and fill every parked reference that waited for this record (9).
public struct Assembler: Sendable {
    public let mapping: MigrationMapping
    let tables: MappedTables
    public let uniqueKeys: [UniqueKeyMapping]
    public var limits = Limits()

    /// Sizes beyond which a record is refused rather than stored.
    public struct Limits: Sendable {
        /// The largest raw message.
        public var messageBytes = 1 << 20
        /// The largest single text value.
        public var valueBytes = 256 << 10
        /// The longest key value: externalId, unique-key value, reference, catalog code.
        public var keyBytes = 1024

        public init() {}
    }

    public init(mapping: MigrationMapping) {
        self.mapping = mapping
        self.uniqueKeys = mapping.tables.flatMap { table in
            table.uniqueKeys.map { UniqueKeyMapping(bo: table.bo, fields: $0) }
        }
        self.tables = MappedTables(mapping.tables, uniqueKeys: uniqueKeys)
    }

    /// Applies one record to the set (all nine steps).
    /// - Parameters:
    ///   - raw: the message as received, kept for the dead-letter topic if it is refused.
    ///   - texts: what ``JSONParser`` saw of the message's strings; ``JSONTextSummary/unknown``
    ///     has every value checked for what the store cannot hold.
    public func apply(
        _ record: RecordMessage, raw: [UInt8], texts: JSONTextSummary = .unknown, to set: inout WorkingSet
    ) {
        let statsKey = StatsKey(migrationID: record.migrationId, table: record.table)
        set.count(statsKey) { $0.records += 1 }
        let table: MappedTable
        let key: BOKey
        var fields: RecordFields
        switch validate(record, raw: raw, texts: texts) {
        case .failure(let rejection):
            set.reject(rejection)
            set.count(statsKey) { $0.rejected += 1 }
            return
        case .success(let valid):
            (table, key, fields) = valid
        }
        // 2. Nothing to migrate.
        guard fields.hasContent else {
            set.count(statsKey) { $0.skipped += 1 }
            return
        }
        // 3. Is there an instance already?
        let existingID = set.boiIDs[key]
        let existing = existingID.flatMap { set.instances[$0] }
        // 4. Removed.
        if fields.removed {
            remove(existing, record: record, statsKey: statsKey, in: &set)
            return
        }
        // 5. Changes: plain fields first…
        var instance = existing ?? BOIInstance(boiId: BoiID.derived(from: key), bo: key.bo, externalId: key.externalId)
        let before = instance
        instance.actual = true
        if existing == nil {
            // All at once, as they are sorted already, instead of an insert per field. The
            // document keeps the array alone, so the references go into its room in place.
            instance.document = JSONObject(sorted: fields.plain)
            fields.plain = []
        } else {
            for member in fields.plain { instance.document[member.key] = member.value }
        }
        // The instance the record ends up in.
        let id: BoiID
        // 7. …but a unique key another instance holds means this record is that instance:
        // merge the record's values into it and carry on with it.
        if let owner = uniqueKeyOwner(of: instance, in: set), var target = set.instances[owner] {
            let targetBefore = target
            target.actual = true
            // A new instance's document is the record's plain fields still (its references come later).
            let plain = existing == nil ? instance.document.members : fields.plain
            for member in plain where !member.value.isEmptyValue { target.document[member.key] = member.value }
            // References too: one the record leaves empty keeps the owner's, resolved or parked.
            var given = fields
            given.references.removeAll { $0.value.isEmptyValue }
            given.catalogs.removeAll { $0.value.isEmptyValue }
            resolveReferences(
                of: &target, isNew: false, table: table, fields: given, record: record, statsKey: statsKey, in: &set)
            commit(consume target, before: targetBefore, isCreate: false, record: record, in: &set, countUnder: nil)
            set.count(statsKey) { $0.merged += 1 }
            id = owner
        } else {
            // …then BO and CO references.
            resolveReferences(
                of: &instance, isNew: existing == nil, table: table, fields: fields, record: record, statsKey: statsKey,
                in: &set)
            id = instance.boiId
            // 6. Publish a real change, or only touch.
            commit(instance, before: before, isCreate: existing == nil, record: record, in: &set, countUnder: statsKey)
        }
        // 8. Remember externalId → instance.
        set.map(key, to: id)
        // 9. Fill what waited for this record.
        resolveWaiting(for: key, with: id, record: record, statsKey: statsKey, in: &set)
    }

    /// Step 4: the instance becomes not actual; nothing else of the record is applied.
    private func remove(_ existing: BOIInstance?, record: RecordMessage, statsKey: StatsKey, in set: inout WorkingSet) {
        guard var instance = existing else {
            set.count(statsKey) { $0.skipped += 1 }
            return
        }
        guard instance.actual else {
            set.touch(instance.boiId)
            set.count(statsKey) { $0.unchanged += 1 }
            return
        }
        instance.actual = false
        instance.version += 1
        set.store(instance)
        set.publish(
            BOIEvent(instance: instance, isCreate: false, changes: [:], migrationId: record.migrationId, operDate: record.operDate))
        set.count(statsKey) {
            $0.removed += 1
            $0.boiEvents += 1
        }
    }

    /// Step 6: publish when something changed, else touch. The instance is handed over: the set
    /// keeps it without another copy of its members.
    @discardableResult
    func commit(
        _ instance: consuming BOIInstance, before: BOIInstance, isCreate: Bool, record: RecordMessage,
        in set: inout WorkingSet, countUnder statsKey: StatsKey?
    ) -> Bool {
        let changes = Self.changes(from: isCreate ? nil : before.document, to: instance.document)
        guard isCreate || !changes.isEmpty || instance.actual != before.actual else {
            set.touch(instance.boiId)
            if let statsKey { set.count(statsKey) { $0.unchanged += 1 } }
            return false
        }
        instance.version = before.version + 1
        // A new instance held no unique values before.
        if !isCreate { set.unindexUniqueValues(of: before, keys: uniqueKeys) }
        set.indexUniqueValues(of: instance, keys: uniqueKeys)
        set.publish(
            BOIEvent(
                instance: instance, isCreate: isCreate, changes: changes, migrationId: record.migrationId,
                operDate: record.operDate),
            creating: isCreate ? instance.document : nil)
        set.store(instance, created: isCreate)
        if let statsKey {
            set.count(statsKey) {
                if isCreate { $0.created += 1 } else { $0.updated += 1 }
            }
        }
        set.count(StatsKey(migrationID: record.migrationId, table: record.table)) { $0.boiEvents += 1 }
        return true
    }

    /// The fields whose value differs; on creation every field with a value.
    static func changes(from old: JSONObject?, to new: JSONObject) -> JSONObject {
        guard let old else { return new.removingNulls() }
        // Both in key order: one walk through the two, which keeps the changes in key order.
        var changes: [JSONObject.Member] = []
        changes.reserveCapacity(max(old.count, new.count))
        var (oldIndex, newIndex) = (old.startIndex, new.startIndex)
        while oldIndex < old.endIndex || newIndex < new.endIndex {
            let oldMember = oldIndex < old.endIndex ? old[oldIndex] : nil
            let newMember = newIndex < new.endIndex ? new[newIndex] : nil
            if let oldMember, newMember.map({ oldMember.key < $0.key }) ?? true {
                // Gone from the new document.
                changes.append(JSONObject.Member(key: oldMember.key, value: .null))
                oldIndex += 1
            } else if let newMember, oldMember.map({ newMember.key < $0.key }) ?? true {
                // New in it.
                if newMember.value != .null {
                    changes.append(JSONObject.Member(key: newMember.key, value: newMember.value))
                }
                newIndex += 1
            } else if let oldMember, let newMember {
                if oldMember.value != newMember.value {
                    changes.append(JSONObject.Member(key: newMember.key, value: newMember.value))
                }
                oldIndex += 1
                newIndex += 1
            }
        }
        return JSONObject(sorted: changes)
    }

    private func uniqueKeyOwner(of instance: BOIInstance, in set: WorkingSet) -> BoiID? {
        for key in uniqueKeys where key.bo == instance.bo {
            guard let values = instance.uniqueValues(key.fields) else { continue }
            if let owner = set.uniqueOwner(UniqueSlot(bo: key.bo, fields: key.fields, values: values)),
                owner != instance.boiId
            {
                return owner
            }
        }
        return nil
    }
}
