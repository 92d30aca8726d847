import Domain
import Logging
import Store

extension BatchProcessor {
    /// The last marker of a migration arrived: every record of it has been applied, so whatever
    /// of its references is still parked is either resolvable now (its target arrived in a
    /// transaction that did not see it parked) or dangling.
    ///
    /// The migration's parked references are read a page at a time, unlocked, and sorted by
    /// whether their target exists now; the dangling ones go straight to the report. Only the
    /// resolvable ones — usually a handful, left by transactions that ran side by side — load and
    /// lock their instances, a chunk of ``maxResolutions`` at a time (``LaterResolutions``). A
    /// load whose references point at objects that never arrive can leave hundreds of thousands
    /// parked, and holding them with their instances took the consumer's memory from 121 to 247
    /// MiB at 300k records.
    func recheck(
        _ marker: RefCheckMarker, set: inout WorkingSet, later: inout LaterResolutions,
        in transaction: any BOIStoreTransaction
    ) throws {
        let migration = marker.migrationId
        try transaction.clearDangling(of: migration)
        var checked = 0
        var dangling = 0
        var resolvable: [ParkedReference] = []
        func sort(_ references: [ParkedReference]) throws {
            checked += references.count
            let known = try targets(of: references, set: set, in: transaction)
            set.load(boiIDs: known.boiIDs, instances: [], parked: [], uniqueKeys: [], catalog: known.catalog)
            var unresolved: [ParkedReference] = []
            for reference in references {
                if set.knows(reference.target) { resolvable.append(reference) } else { unresolved.append(reference) }
            }
            try transaction.addDangling(unresolved, of: migration)
            dangling += unresolved.count
        }
        // This batch's own (parked or loaded by it) first; then the store's, less those it changed.
        try sort(set.parkedReferences(of: migration, stored: []))
        var after: ParkedReference.Slot?
        while true {
            let page = try transaction.parkedReferences(of: migration, after: after, limit: referenceCheckPage)
            try sort(set.unchangedByBatch(page))
            guard page.count == referenceCheckPage, let last = page.last else { break }
            after = last.slot
        }
        // The first chunk with the batch; the rest after it, a chunk at a time.
        let stillDangling = try resolve(
            Array(resolvable.prefix(maxResolutions)), marker: marker, set: &set, in: transaction)
        if resolvable.count > maxResolutions {
            later.checked.append((Array(resolvable[maxResolutions...]), Assembler.referenceCheckRecord(of: marker)))
        }
        try transaction.addDangling(stillDangling, of: migration)
        dangling += stillDangling.count
        logger.info(
            "reference check done",
            metadata: ["migration_id": "\(migration)", "checked": "\(checked)", "dangling": "\(dangling)"])
    }

    /// What the references' targets that the working set does not know resolve to in the store.
    func targets(
        of references: [ParkedReference], set: WorkingSet, in transaction: any BOIStoreTransaction
    ) throws -> (boiIDs: [BOKey: BoiID], catalog: [CatalogKey: String]) {
        var keys: [BOKey] = []
        var entries: [CatalogKey] = []
        for reference in references where !set.knows(reference.target) {
            switch reference.target {
            case .object(let key): keys.append(key)
            case .catalogEntry(let catalog, let code): entries.append(CatalogKey(catalog: catalog, code: code))
            }
        }
        return (
            try keys.isEmpty ? [:] : transaction.boiIDs(for: keys.sortedUnique(), lockingAliasesOf: []),
            try transaction.catalogEntries(entries)
        )
    }

    /// Locks the sources of the resolvable references, in the store's lock order (the instances,
    /// then their parked references), and fills what is still parked under those locks.
    /// - Returns: those the assembler still found unresolvable.
    private func resolve(
        _ resolvable: [ParkedReference], marker: RefCheckMarker, set: inout WorkingSet,
        in transaction: any BOIStoreTransaction
    ) throws -> [ParkedReference] {
        guard !resolvable.isEmpty else { return [] }
        let slots = Set(resolvable.map(\.slot))
        let sources = resolvable.map(\.source).sortedUnique()
        let locked = try transaction.instances(sources.filter { set.instances[$0] == nil })
        let held = sources.filter { set.instances[$0] != nil || locked[$0] != nil }
        let stored = try transaction.lockParkedReferences(of: held)
            .filter { $0.migrationID == marker.migrationId && slots.contains($0.slot) }
        let references = set.parkedReferences(of: marker.migrationId, stored: stored).filter { slots.contains($0.slot) }
        set.load(boiIDs: [:], instances: Array(locked.values), parked: references, uniqueKeys: assembler.uniqueKeys, catalog: [:])
        return assembler.recheck(references, marker: marker, in: &set)
    }
}
