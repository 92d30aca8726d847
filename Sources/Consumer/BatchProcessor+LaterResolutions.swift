import Domain
import Store

/// Parked references a transaction resolves after writing its batch, a chunk of
/// ``BatchProcessor/maxResolutions`` at a time, each chunk in a working set of its own that is
/// written and let go before the next: a record that a hundred thousand references wait for
/// would otherwise load and hold every waiting instance at once. They stay in the batch's
/// transaction, so a crash leaves all of them parked or none.
struct LaterResolutions {
    /// A record that more references wait for than one chunk holds: the batch resolved the
    /// first chunk, the rest are read from the store chunk by chunk.
    var target: (key: BOKey, record: RecordMessage)?
    /// References a reference check found resolvable, with the record they are changes of.
    var checked: [(references: [ParkedReference], record: RecordMessage)] = []
}

extension BatchProcessor {
    /// Resolves what `later` holds; each chunk's events go to the outbox as an entry of their own,
    /// for the relay to publish after the batch's.
    /// - Parameter stats: the transaction's counters, which the chunks' are added to.
    func resolve(
        _ later: LaterResolutions, stats: inout [StatsKey: ConsumeStats], in transaction: any BOIStoreTransaction
    ) throws {
        if let (key, record) = later.target {
            while true {
                let waiting = try transaction.parkedReferences(waitingFor: [.object(key)], limitEach: maxResolutions)
                guard !waiting.isEmpty else { break }
                let filled = try resolveChunk(waiting, for: record, stats: &stats, in: transaction).filled
                // What cannot be filled (its instance is gone) stays parked for the reference check.
                guard filled > 0, waiting.count == maxResolutions else { break }
            }
        }
        for (references, record) in later.checked {
            for start in stride(from: 0, to: references.count, by: maxResolutions) {
                let chunk = Array(references[start..<min(start + maxResolutions, references.count)])
                let unresolved = try resolveChunk(chunk, for: record, stats: &stats, in: transaction).unresolved
                try transaction.addDangling(unresolved, of: record.migrationId)
            }
        }
    }

    /// Fills one chunk of parked references in a working set of its own and writes it: the
    /// targets looked up, the sources locked, then their parked references (the store's lock
    /// order), of which only the chunk's slots, as they are now.
    /// - Returns: how many were filled, and those still parked whose target is unknown.
    private func resolveChunk(
        _ references: [ParkedReference], for record: RecordMessage, stats: inout [StatsKey: ConsumeStats],
        in transaction: any BOIStoreTransaction
    ) throws -> (filled: Int, unresolved: [ParkedReference]) {
        var set = WorkingSet()
        let known = try targets(of: references, set: set, in: transaction)
        let slots = Set(references.map(\.slot))
        let sources = references.map(\.source).sortedUnique()
        let instances = try transaction.instances(sources)
        let parked = try transaction.lockParkedReferences(of: sources.filter { instances[$0] != nil })
            .filter { slots.contains($0.slot) }
        set.load(
            boiIDs: known.boiIDs, instances: Array(instances.values), parked: parked, uniqueKeys: assembler.uniqueKeys,
            catalog: known.catalog)
        let unresolved = assembler.resolve(parked, for: record, in: &set)
        var changes = StoreChanges()
        collect(set, into: &changes, moves: [:])
        _ = try transaction.apply(changes)
        stats.merge(changes.stats, uniquingKeysWith: +)
        return (parked.count - unresolved.count, unresolved)
    }
}
