/// What a batch needs from the store before its records can be applied.
public struct Preload: Sendable, Hashable {
    /// The records' own keys: their instances, and the references waiting for them.
    public var recordKeys: [BOKey] = []
    /// The keys their BO fields point at.
    public var targetKeys: [BOKey] = []
    /// Unique-key values the records carry, per unique key.
    public var uniqueValues: [UniqueKeyMapping: [[String]]] = [:]
    /// The catalog entries their CO fields name.
    public var catalogKeys: [CatalogEntryKey] = []

    public init() {}

    /// Everything looked up by externalId, each key once, in order. ``PreloadCollector``
    /// leaves both lists sorted, and the standard sort merges two sorted runs in one pass.
    public var allKeys: [BOKey] { (recordKeys + targetKeys).sortedUnique() }
}

extension Assembler {
    /// The record a migration's reference check (the seed's `KafkaInMigrationRefChecker`) stands
    /// for: what it resolves are changes of the migration, counted under ``referenceCheckTable``.
    public static func referenceCheckRecord(of marker: RefCheckMarker) -> RecordMessage {
        RecordMessage(
            migrationId: marker.migrationId, operDate: marker.operDate, bo: "", table: referenceCheckTable,
            externalId: nil, row: [:])
    }

    /// Fills the parked references whose target `set` knows by now, as changes of `record`
    /// (counted under its migration and in-table), and returns the others.
    /// - Parameter references: parked references with their sources loaded into `set`.
    public func resolve(
        _ references: [ParkedReference], for record: RecordMessage, in set: inout WorkingSet
    ) -> [ParkedReference] {
        let statsKey = StatsKey(migrationID: record.migrationId, table: record.table)
        var dangling: [ParkedReference] = []
        var byTarget: [ParkedReference.Target: [ParkedReference]] = [:]
        for reference in references { byTarget[reference.target, default: []].append(reference) }
        // In the order of the targets' text, each written once: writing both for every comparison
        // cost more than filling the references.
        let ordered = byTarget.map { (text: "\($0.key)", target: $0.key, waiting: $0.value) }
            .sorted { $0.text < $1.text }
        for (_, target, waiting) in ordered {
            let value: String?
            switch target {
            case .object(let key): value = set.boiIDs[key]?.rawValue
            case .catalogEntry(let catalog, let code): value = set.catalog[CatalogEntryKey(catalog: catalog, code: code)]
            }
            if let value {
                fill(waiting, with: value, record: record, statsKey: statsKey, in: &set)
            } else {
                dangling.append(contentsOf: waiting)
            }
        }
        return dangling.sorted { ($0.source, $0.field, $0.position ?? -1) < ($1.source, $1.field, $1.position ?? -1) }
    }

    /// The instance a record is for; `nil` when its table is not mapped or it has no externalId
    /// (such a record is refused).
    public func key(of record: RecordMessage) -> BOKey? {
        guard let table = tables[record.table], let externalId = record.externalId else { return nil }
        return BOKey(bo: table.bo, externalId: externalId)
    }

    /// The BOs that references of the mapping point at: records of other BOs resolve no parked
    /// reference.
    public var referenceTargets: Set<BOCode> {
        Set(mapping.tables.flatMap { $0.references.map(\.target) })
    }

    /// The pseudo-table under which the reference check counts what it resolves.
    public static let referenceCheckTable = "(reference check)"
}

/// Collects the keys, unique values and catalog codes of a batch, one record at a time, before
/// the batch is applied. One at a time: the consumer holds its records where gathering them into
/// an array would copy each.
public struct PreloadCollector {
    private let assembler: Assembler
    // Arrays, sorted once at the end: the keys are compared anyway, and hashing them too on the
    // way in cost more than the duplicates it kept out.
    private var recordKeys: [BOKey] = []
    private var targetKeys: [BOKey] = []
    /// Values by unique key, in the order of ``Assembler/uniqueKeys``: appended, then sorted
    /// and made unique at the end, as the keys are; a set hashed every value on the way in.
    /// Flat, a record's values one after the other: an array per record's values cost an
    /// allocation each, and most unique keys are one field, whose values sort as strings.
    private var unique: [[String]]
    private var catalogKeys = Set<CatalogEntryKey>()

    public init(_ assembler: Assembler, capacity: Int) {
        self.assembler = assembler
        recordKeys.reserveCapacity(capacity)
        unique = Array(repeating: [], count: assembler.uniqueKeys.count)
    }

    public mutating func add(_ record: RecordMessage) {
        guard let table = assembler.tables[record.table], let externalId = record.externalId else { return }
        recordKeys.append(BOKey(bo: table.bo, externalId: externalId))
        for reference in table.references {
            switch record.row[reference.column] ?? .null {
            case .array(let elements):
                for element in elements {
                    if let id = element.keyText { targetKeys.append(BOKey(bo: reference.target, externalId: id)) }
                }
            case let value:
                if let id = value.keyText { targetKeys.append(BOKey(bo: reference.target, externalId: id)) }
            }
        }
        for catalog in table.catalogs {
            if let code = (record.row[catalog.column] ?? .null).keyText {
                catalogKeys.insert(CatalogEntryKey(catalog: catalog.catalog, code: code))
            }
        }
        for (fields, position) in zip(table.uniqueKeys, table.uniqueKeyPositions) {
            let start = unique[position].count
            for field in fields {
                guard let value = (record.row[field] ?? .null).keyText else {
                    // A key with an empty field is no key: the values taken so far go again.
                    unique[position].removeSubrange(start...)
                    break
                }
                unique[position].append(value)
            }
        }
    }

    /// What the records added so far need.
    public var preload: Preload {
        var preload = Preload()
        preload.recordKeys = recordKeys.sortedUnique()
        preload.targetKeys = targetKeys.sortedUnique().filter { !preload.recordKeys.sortedContains($0) }
        for (position, flat) in unique.enumerated() where !flat.isEmpty {
            let width = assembler.uniqueKeys[position].fields.count
            if width == 1 {
                preload.uniqueValues[assembler.uniqueKeys[position]] = flat.sortedUnique().map { [$0] }
                continue
            }
            let values = stride(from: 0, to: flat.count, by: width).map { Array(flat[$0..<($0 + width)]) }
            var kept: [[String]] = []
            for value in values.sorted(by: { $0.lexicographicallyPrecedes($1) }) where kept.last != value {
                kept.append(value)
            }
            preload.uniqueValues[assembler.uniqueKeys[position]] = kept
        }
        preload.catalogKeys = catalogKeys.sorted { ($0.catalog, $0.code) < ($1.catalog, $1.code) }
        return preload
    }
}
