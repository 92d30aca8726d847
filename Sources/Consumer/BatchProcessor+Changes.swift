import Config
import Domain
import Store

extension BatchProcessor {
    /// Turns the working set's changes into what the store writes, with the events and dead
    /// letters as outbox messages in the order they happened.
    func collect(
        _ set: WorkingSet, into changes: inout StoreChanges, moves: [Int32: (from: Int64?, to: Int64)]
    ) {
        changes.instances = set.changedOrder.compactMap { set.instances[$0] }
        changes.created = set.created
        changes.touched = set.touched.sorted()
        changes.mappings = set.newMappings
        // Every record clears its reference fields; only those of instances that were stored
        // before can have parked references to drop, and sorting all of them (for the lock
        // order) was a twentieth of a first load's consumer time.
        changes.clearedReferenceFields = set.clearedFields.filter { !set.created.contains($0.source) }
            .sorted { ($0.source, $0.field) < ($1.source, $1.field) }
        changes.unparked = Array(set.unparkedSlots)
        changes.parked = set.parkedSlots.compactMap { set.parked[$0] }
        changes.outbox.reserveCapacity(set.events.count + set.rejections.count)
        changes.creationTexts.reserveCapacity(set.created.count)
        for (event, created) in zip(set.events, set.creationDocuments) {
            let (json, changesText) = event.jsonNotingChanges
            // The document the event created the instance with is the one it still has.
            if let created, set.instances[event.boiId]?.document.sharesMembers(with: created) == true {
                changes.creationTexts[event.boiId] = json[changesText]
            }
            changes.outbox.append(OutboxMessage(topic: topics.boi, key: Array(event.boiId.rawValue.utf8), value: json))
        }
        for rejection in set.rejections {
            changes.outbox.append(OutboxMessage(topic: topics.deadLetter, key: nil, value: rejection.raw))
        }
        changes.errors = set.rejections.map(\.error) + set.warnings
        changes.stats = set.stats
        if !moves.isEmpty {
            changes.positions = PositionUpdate(group: group, topic: topics.inMigration, moves: moves)
        }
    }
}
