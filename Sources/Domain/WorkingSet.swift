/// What one batch of records works on: the part of the store the batch touches, loaded up
/// front, and every change the batch makes, collected for one write at the end.
///
/// The assembler applies records one after the other against this set, so a batch gives exactly
/// the result of processing its records one by one, while the store sees a handful of reads and
/// writes per batch instead of several per record.
public struct WorkingSet: Sendable {
    // MARK: What is known

    /// externalId → instance, as loaded and as created by this batch.
    public internal(set) var boiIDs: [BOKey: BoiID] = [:]
    /// Instances loaded or changed by this batch.
    public internal(set) var instances: [BoiID: BOIInstance] = [:]
    /// Unique-key values → the instance holding them.
    var uniqueOwners: [UniqueSlot: BoiID] = [:]
    /// Parked references known to this batch (loaded, or parked by it), by slot.
    public private(set) var parked: [ParkedReference.Slot: ParkedReference] = [:]
    /// The slots of `parked` by field and by target: every record looks up both, and a scan of
    /// `parked` per record made a batch quadratic in its parked references.
    private var slotsByField: [ReferenceField: Set<ParkedReference.Slot>] = [:]
    private var slotsByTarget: [ParkedReference.Target: Set<ParkedReference.Slot>] = [:]
    /// Catalog entry ids.
    var catalog: [CatalogEntryKey: String] = [:]

    // MARK: What changed

    /// Instances to write, in the order they were first changed.
    public internal(set) var changedOrder: [BoiID] = []
    var changed: Set<BoiID> = []
    public internal(set) var created: Set<BoiID> = []
    public internal(set) var touched: Set<BoiID> = []
    public internal(set) var newMappings: [BOKey: BoiID] = [:]
    /// Reference fields whose stored parking is dropped before the new parking is written.
    public internal(set) var clearedFields: Set<ReferenceField> = []
    /// Parked slots that were loaded from the store and are gone now.
    public internal(set) var unparkedSlots: Set<ParkedReference.Slot> = []
    /// Slots parked by this batch (their final state is in `parked`).
    public internal(set) var parkedSlots: Set<ParkedReference.Slot> = []
    var loadedSlots: Set<ParkedReference.Slot> = []
    /// Events in publication order.
    public internal(set) var events: [BOIEvent] = []
    /// For each of `events` that created its instance, the document the instance was created
    /// with, whose members without the nulls are the event's changes; nil for the other events.
    public internal(set) var creationDocuments: [JSONObject?] = []
    /// Rejected records with their raw message, in order.
    public internal(set) var rejections: [Rejection] = []
    /// Errors that do not reject their record (e.g. a reference to a refused BO).
    public internal(set) var warnings: [RecordError] = []
    /// Counters by migration and in-table.
    public var stats: [StatsKey: ConsumeStats] {
        Dictionary(uniqueKeysWithValues: statsByKey.lazy.map { ($0.key, $0.stats) })
    }
    /// A batch counts under a handful of keys, several times per record: a scan that compares
    /// them costs less than hashing a migration id and a table name each time.
    private var statsByKey: [(key: StatsKey, stats: ConsumeStats)] = []

    public init() {}

    /// An empty set with room for what a batch of `records` records usually brings — an
    /// instance, a key, an event, a new mapping, a reference field set each — and for
    /// `loadedKeys` keys read from the store: tables that grew one insert at a time rehashed
    /// every key they held at each doubling, a tenth of the consumer's hashing.
    public init(capacity records: Int, loadedKeys: Int) {
        boiIDs.reserveCapacity(records + loadedKeys)
        instances.reserveCapacity(records)
        uniqueOwners.reserveCapacity(records)
        changedOrder.reserveCapacity(records)
        changed.reserveCapacity(records)
        created.reserveCapacity(records)
        events.reserveCapacity(records)
        creationDocuments.reserveCapacity(records)
        newMappings.reserveCapacity(records)
        clearedFields.reserveCapacity(records)
    }

    // MARK: Loading

    /// Adds what the store returned for the batch's keys; `missing` are keys it looked up and did not find.
    public mutating func load(
        boiIDs: [BOKey: BoiID], instances: [BOIInstance], parked: [ParkedReference], uniqueKeys: [UniqueKeyMapping],
        catalog: [CatalogEntryKey: String]
    ) {
        self.boiIDs.merge(boiIDs) { current, _ in current }
        for instance in instances where self.instances[instance.boiId] == nil {
            self.instances[instance.boiId] = instance
            indexUniqueValues(of: instance, keys: uniqueKeys)
        }
        for reference in parked where self.parked[reference.slot] == nil && !unparkedSlots.contains(reference.slot) {
            if clearedFields.contains(ReferenceField(source: reference.source, field: reference.field)) { continue }
            setParked(reference)
            loadedSlots.insert(reference.slot)
        }
        self.catalog.merge(catalog) { current, _ in current }
    }

    /// The parked references of a migration that this batch knows about: those it parked, plus
    /// `stored` (from the store) less those this batch resolved or cleared.
    public func parkedReferences(of migration: MigrationID, stored: [ParkedReference]) -> [ParkedReference] {
        var result: [ParkedReference.Slot: ParkedReference] = [:]
        for reference in stored where !unparkedSlots.contains(reference.slot)
            && !clearedFields.contains(ReferenceField(source: reference.source, field: reference.field))
        {
            result[reference.slot] = reference
        }
        for (slot, reference) in parked where reference.migrationID == migration {
            result[slot] = reference
        }
        return result.values.sorted { ($0.source, $0.field, $0.position ?? -1) < ($1.source, $1.field, $1.position ?? -1) }
    }

    /// Of parked references read from the store, those this batch left as they were: not
    /// resolved, cleared or parked anew by it (its own version of a slot is in `parked`).
    public func unchangedByBatch(_ stored: [ParkedReference]) -> [ParkedReference] {
        stored.filter { reference in
            parked[reference.slot] == nil && !unparkedSlots.contains(reference.slot)
                && !clearedFields.contains(ReferenceField(source: reference.source, field: reference.field))
        }
    }

    /// Whether this set knows what `target` resolves to: the instance a key maps to, or the
    /// catalog entry's id.
    public func knows(_ target: ParkedReference.Target) -> Bool {
        switch target {
        case .object(let key): boiIDs[key] != nil
        case .catalogEntry(let catalog, let code): self.catalog[CatalogEntryKey(catalog: catalog, code: code)] != nil
        }
    }

    // MARK: Changing

    mutating func store(_ instance: consuming BOIInstance, created isNew: Bool = false) {
        let id = instance.boiId
        if changed.insert(id).inserted { changedOrder.append(id) }
        if isNew { created.insert(id) }
        if !touched.isEmpty { touched.remove(id) }
        instances[id] = instance
    }

    mutating func touch(_ id: BoiID) {
        if !changed.contains(id) { touched.insert(id) }
    }

    mutating func map(_ key: BOKey, to id: BoiID) {
        if boiIDs.updateValue(id, forKey: key) != id { newMappings[key] = id }
    }

    mutating func park(_ reference: ParkedReference) {
        setParked(reference)
        parkedSlots.insert(reference.slot)
    }

    mutating func unpark(_ slot: ParkedReference.Slot) {
        removeParked(slot)
        parkedSlots.remove(slot)
        if loadedSlots.contains(slot) { unparkedSlots.insert(slot) }
    }

    /// Drops every parking of a field: the record sets the field anew.
    mutating func clearParking(_ field: ReferenceField) {
        for slot in slotsByField[field] ?? [] {
            unpark(slot)
        }
        clearedFields.insert(field)
    }

    /// Puts a reference in its slot, keeping the indexes in step.
    private mutating func setParked(_ reference: ParkedReference) {
        removeParked(reference.slot)
        parked[reference.slot] = reference
        slotsByField[ReferenceField(source: reference.source, field: reference.field), default: []].insert(reference.slot)
        slotsByTarget[reference.target, default: []].insert(reference.slot)
    }

    private mutating func removeParked(_ slot: ParkedReference.Slot) {
        guard let reference = parked.removeValue(forKey: slot) else { return }
        let field = ReferenceField(source: slot.source, field: slot.field)
        slotsByField[field]?.remove(slot)
        if slotsByField[field]?.isEmpty == true { slotsByField[field] = nil }
        slotsByTarget[reference.target]?.remove(slot)
        if slotsByTarget[reference.target]?.isEmpty == true { slotsByTarget[reference.target] = nil }
    }

    /// - Parameter document: for an event that creates its instance, the document it is created
    ///   with (see ``creationDocuments``).
    mutating func publish(_ event: BOIEvent, creating document: JSONObject? = nil) {
        events.append(event)
        creationDocuments.append(document)
    }

    mutating func count(_ key: StatsKey, _ change: (inout ConsumeStats) -> Void) {
        if let index = statsByKey.lastIndex(where: { $0.key == key }) {
            change(&statsByKey[index].stats)
        } else {
            statsByKey.append((key, ConsumeStats()))
            change(&statsByKey[statsByKey.count - 1].stats)
        }
    }

    mutating func reject(_ rejection: Rejection) { rejections.append(rejection) }

    mutating func warn(_ error: RecordError) { warnings.append(error) }

    func waiting(for target: ParkedReference.Target) -> [ParkedReference] {
        (slotsByTarget[target] ?? []).compactMap { parked[$0] }
            .sorted { ($0.source, $0.field, $0.position ?? -1) < ($1.source, $1.field, $1.position ?? -1) }
    }

    // MARK: Unique keys

    func uniqueOwner(_ slot: UniqueSlot) -> BoiID? { uniqueOwners[slot] }

    mutating func indexUniqueValues(of instance: BOIInstance, keys: [UniqueKeyMapping]) {
        for key in keys where key.bo == instance.bo {
            if let values = instance.uniqueValues(key.fields) {
                uniqueOwners[UniqueSlot(bo: instance.bo, fields: key.fields, values: values)] = instance.boiId
            }
        }
    }

    mutating func unindexUniqueValues(of instance: BOIInstance, keys: [UniqueKeyMapping]) {
        for key in keys where key.bo == instance.bo {
            if let values = instance.uniqueValues(key.fields) {
                let slot = UniqueSlot(bo: instance.bo, fields: key.fields, values: values)
                if uniqueOwners[slot] == instance.boiId { uniqueOwners[slot] = nil }
            }
        }
    }
}

/// One unique key of one BO.
public struct UniqueKeyMapping: Hashable, Sendable {
    public var bo: BOCode
    public var fields: [String]

    public init(bo: BOCode, fields: [String]) {
        self.bo = bo
        self.fields = fields
    }
}

/// One value of one unique key.
public struct UniqueSlot: Hashable, Sendable {
    public var bo: BOCode
    public var fields: [String]
    public var values: [String]

    /// The BO and the values only: the field names come with the key, and hashing them again
    /// for every slot looked up and indexed was an eighth of that work.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bo)
        hasher.combine(values)
    }
}

/// A catalog entry as a CO field names it.
public struct CatalogEntryKey: Hashable, Codable, Sendable {
    public var catalog: String
    public var code: String

    public init(catalog: String, code: String) {
        self.catalog = catalog
        self.code = code
    }
}

/// A record refused by the consumer: the error for the journal and the raw message for the
/// dead-letter topic.
public struct Rejection: Error, Hashable, Sendable {
    public var error: RecordError
    public var raw: [UInt8]

    public init(error: RecordError, raw: [UInt8]) {
        self.error = error
        self.raw = raw
    }
}

extension WorkingSet {
    /// A message that could not even be read as a record: refused, counted under its table when
    /// that much could be read.
    public mutating func rejectUnreadable(_ rejection: Rejection) {
        reject(rejection)
        if let table = rejection.error.table {
            count(StatsKey(migrationID: rejection.error.migrationID, table: table)) {
                $0.records += 1
                $0.rejected += 1
            }
        }
    }
}
