import Config
import Domain
import Kafka
import Logging
import Store

/// Applies one batch of `IN_MIGRATION` messages to the store in one transaction: reads what the
/// batch touches, runs the assembler over its records in order, and writes every change with
/// the outgoing events and the new consumer positions.
///
/// Messages below the stored positions were applied already (a redelivery after a crash or a
/// rebalance) and are skipped, so reprocessing changes nothing and publishes nothing. A first
/// message beyond the stored position means messages were lost: the gap is recorded.
struct BatchProcessor: Sendable {
    let store: any BOIStore
    let assembler: Assembler
    let group: String
    let topics: KafkaOptions.Topics
    let logger: Logger
    /// How often a batch is retried after a conflict with another writer.
    var maxAttempts = 8
    /// How many parked references one working set resolves, at most. Each loads and rewrites the
    /// instance that waits and publishes an event for it: a batch of targets that thousands of
    /// records wait for would otherwise hold all of them at once. A record that more wait for
    /// than this goes alone, and its transaction resolves the rest a chunk at a time
    /// (``LaterResolutions``).
    var maxResolutions = 5_000
    /// How many parked references the reference check reads at a time.
    var referenceCheckPage = 5_000

    /// What a committed batch leaves to do.
    struct Outcome: Sendable {
        /// The Kafka offsets to commit once the outbox is published: next offset per partition.
        var offsets: [TopicPartitionOffset]
        /// The outgoing messages the batch wrote, with their outbox id, in outbox order.
        var outbox: [OutboxMessage]
        var records: Int
        var skipped: Int
        /// The batch's messages left for another transaction: those after the first
        /// ``maxResolutions`` resolutions, in order.
        var remainder: [KafkaMessage]
        /// The transaction's counters per migration and in-table.
        var stats: [StatsKey: ConsumeStats]
    }

    /// - Parameter ends: each partition's high watermark as the broker last reported it, to tell a
    ///   redelivery (below the stored position, which lies within the log) from a recreated topic
    ///   (the stored position lies beyond it).
    /// - Throws: ``RecreatedTopicError``; what the store throws.
    func process(_ messages: [KafkaMessage], ends: [Int32: Int64] = [:]) async throws -> Outcome {
        try await process(messages, decoded: await DecodedMessage.decode(messages), ends: ends)
    }

    private func process(
        _ messages: [KafkaMessage], decoded: [DecodedMessage], ends: [Int32: Int64]
    ) async throws -> Outcome {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let processor = self
                return try await store.transaction { transaction in
                    try processor.apply(messages, decoded: decoded, ends: ends, in: transaction)
                }
            } catch let refusal as StoreRefusal {
                return try await narrow(messages, decoded: decoded, ends: ends, refusal: refusal.message)
            } catch let conflict as StoreConflict where attempt < maxAttempts {
                logger.notice(
                    "batch conflicted with another writer, retrying",
                    metadata: ["attempt": "\(attempt)", "conflict": "\(conflict)"])
                try await Task.sleep(for: .milliseconds(20 * attempt))
            } catch let conflict as StoreConflict {
                // A unique key still taken after every retry is no race: some record keeps clashing.
                guard case .duplicateKey = conflict.kind else { throw conflict }
                return try await narrow(messages, decoded: decoded, ends: ends, refusal: conflict.message)
            }
        }
    }

    /// The store refuses something in the batch however often it is tried. The first half goes
    /// alone and the rest is left as the remainder (the lane's next transaction), until the one
    /// record the store refuses is alone: it is rejected with the store's reason, like a record
    /// the assembler refuses, and every other record is applied.
    private func narrow(
        _ messages: [KafkaMessage], decoded: [DecodedMessage], ends: [Int32: Int64], refusal: String
    ) async throws -> Outcome {
        if messages.count > 1 {
            logger.warning(
                "the store refused part of a batch, narrowing it down",
                metadata: ["messages": "\(messages.count)", "reason": "\(refusal)"])
            let half = messages.count / 2
            var outcome = try await process(Array(messages[..<half]), decoded: Array(decoded[..<half]), ends: ends)
            outcome.remainder += messages[half...]
            return outcome
        }
        guard let message = messages.first, case .record(let decoded) = decoded.first else {
            throw StoreRefusal(message: refusal)
        }
        let (record, raw) = (decoded.message, decoded.raw)
        logger.error(
            "record refused by the store",
            metadata: [
                "table": "\(record.table)", "external_id": "\(record.externalId ?? "")",
                "offset": "\(message.partition)@\(message.offset)", "reason": "\(refusal)",
            ])
        let rejection = Rejection(
            error: RecordError(
                migrationID: record.migrationId, stage: .consume, table: record.table, externalID: record.externalId,
                field: nil, reason: "the store refused the record: \(refusal)",
                raw: RecordError.excerpt(raw)),
            raw: raw)
        return try await process(messages, decoded: [.malformed(rejection)], ends: ends)
    }

    /// - Parameter all: `batch` decoded, message by message.
    private func apply(
        _ batch: [KafkaMessage], decoded all: [DecodedMessage], ends logEnds: [Int32: Int64],
        in transaction: any BOIStoreTransaction
    ) throws -> Outcome {
        let topic = topics.inMigration
        let partitions = Array(Set(batch.map(\.partition))).sorted()
        let stored = try transaction.positions(group: group, topic: topic, partitions: partitions)
        for (partition, position) in stored.sorted(by: { $0.key < $1.key }) {
            if let end = logEnds[partition], position > end {
                throw RecreatedTopicError(topic: topic, partition: partition, position: position, end: end)
            }
        }
        let isFresh = batch.map { message in stored[message.partition].map { message.offset >= $0 } ?? true }
        let freshIndices = isFresh.indices.filter { isFresh[$0] }
        var decoded = freshIndices.map { all[$0] }
        // The messages this transaction takes: all, or those before the first fresh one it leaves.
        var taken = batch.count
        var waiting = try parkedReferences(waitingFor: decoded, in: transaction)
        let limit = resolvingLimit(decoded, waiting: waiting)
        if limit < decoded.count {
            decoded.removeSubrange(limit...)
            taken = freshIndices[limit]
        }
        var later = LaterResolutions()
        if limit == 1, case .record(let first)? = decoded.first, let key = first.key(in: assembler) {
            let awaiting = waiting.filter { $0.target == .object(key) }
            if awaiting.count > maxResolutions {
                waiting = Array(awaiting.prefix(maxResolutions))
                later.target = (key, first.message)
            }
        }
        let messages = batch[..<taken]
        // Kafka gets the batch's end per partition even where the store was already past it (a
        // redelivery): otherwise the group's committed offsets would lag behind for ever.
        var ends: [Int32: Int64] = [:]
        var moves: [Int32: (from: Int64?, to: Int64)] = [:]
        var gaps: [OffsetGap] = []
        // A run of messages of one partition at a time (a poll returns them so): its partition's
        // entries are looked up once, not for every message.
        var start = messages.startIndex
        while start < messages.endIndex {
            let partition = messages[start].partition
            var next = start
            while next < messages.endIndex && messages[next].partition == partition { next += 1 }
            let position = stored[partition]
            if ends[partition] == nil, let position, messages[start].offset > position {
                gaps.append(
                    OffsetGap(group: group, topic: topic, partition: partition, from: position, to: messages[start].offset))
            }
            var end = ends[partition] ?? 0
            var freshEnd: Int64?
            for index in start..<next {
                end = max(end, messages[index].offset + 1)
                if isFresh[index] { freshEnd = end }
            }
            ends[partition] = end
            if let freshEnd { moves[partition] = (position, freshEnd) }
            start = next
        }
        var set = try load(decoded, waiting: waiting, in: transaction)
        var changes = StoreChanges()
        for message in decoded {
            switch message {
            case .record(let record):
                record.apply(with: assembler, to: &set)
            case .marker(let marker):
                if try transaction.recordMarker(marker.migrationId, partition: marker.partition, partitions: marker.partitions) {
                    try recheck(marker, set: &set, later: &later, in: transaction)
                }
            case .malformed(let rejection):
                set.rejectUnreadable(rejection)
            }
        }
        collect(set, into: &changes, moves: moves)
        changes.gaps = gaps
        for gap in gaps {
            logger.critical(
                "messages were lost before they were consumed",
                metadata: [
                    "topic": "\(gap.topic)", "partition": "\(gap.partition)", "from": "\(gap.from)", "to": "\(gap.to)",
                ])
        }
        let outboxID = try transaction.apply(changes)
        // Taken out, not copied: setting the ids on a copy that shared its storage with the
        // changes would copy every message first.
        var outbox = [OutboxMessage]()
        swap(&outbox, &changes.outbox)
        if let outboxID {
            for index in outbox.indices { outbox[index].id = outboxID }
        }
        var stats = changes.stats
        try resolve(later, stats: &stats, in: transaction)
        let offsets = ends.map { TopicPartitionOffset(topic: topic, partition: $0.key, offset: $0.value) }
        return Outcome(
            offsets: offsets.sorted { $0.partition < $1.partition }, outbox: outbox,
            records: decoded.count, skipped: messages.count - decoded.count, remainder: Array(batch[taken...]),
            stats: stats)
    }

    /// The parked references waiting for the decoded records, read once and unlocked: they size
    /// the transaction (``resolvingLimit(_:waiting:)``) and name the instances it locks
    /// (``load(_:waiting:in:)``). Only a BO that some reference points at can have references
    /// waiting for it.
    private func parkedReferences(
        waitingFor decoded: [DecodedMessage], in transaction: any BOIStoreTransaction
    ) throws -> [ParkedReference] {
        let targets = assembler.referenceTargets
        let awaited = decoded.compactMap { message -> ParkedReference.Target? in
            guard case .record(let record) = message, let key = record.key(in: assembler),
                targets.contains(key.bo)
            else { return nil }
            return .object(key)
        }
        guard !awaited.isEmpty else { return [] }
        // One more than a transaction resolves is enough to tell that a record has too many.
        return try transaction.parkedReferences(waitingFor: awaited, limitEach: maxResolutions + 1)
    }

    /// How many of the decoded messages one transaction takes: all, unless the parked
    /// references waiting for their records pass ``maxResolutions``; then those before the
    /// record that passes it (at least one).
    private func resolvingLimit(_ decoded: [DecodedMessage], waiting: [ParkedReference]) -> Int {
        guard waiting.count > maxResolutions else { return decoded.count }
        var counts: [BOKey: Int] = [:]
        for reference in waiting {
            if case .object(let key) = reference.target { counts[key, default: 0] += 1 }
        }
        var total = 0
        for (index, message) in decoded.enumerated() {
            guard case .record(let record) = message, let key = record.key(in: assembler) else { continue }
            total += counts[key] ?? 0
            if total > maxResolutions { return max(index, 1) }
        }
        return decoded.count
    }

    /// Reads and locks everything the batch's records touch: a handful of round trips. First
    /// what to lock, unlocked; then every instance in one statement, in id order; then the parked
    /// references of the instances now held (the store's lock order, ``BOIStoreTransaction``).
    /// - Parameter waiting: parked references waiting for any of the batch's records (and perhaps
    ///   for records it left to the next transaction).
    private func load(
        _ messages: [DecodedMessage], waiting unlocked: [ParkedReference], in transaction: any BOIStoreTransaction
    ) throws -> WorkingSet {
        var collector = PreloadCollector(assembler, capacity: messages.count)
        var records = 0
        for message in messages {
            guard case .record(let record) = message else { continue }
            record.add(to: &collector)
            records += 1
        }
        guard records > 0 else { return WorkingSet() }
        let preload = collector.preload
        let boiIDs = try transaction.boiIDs(for: preload.allKeys, lockingAliasesOf: preload.recordKeys)
        var set = WorkingSet(capacity: records, loadedKeys: boiIDs.count)
        // Waits for one of this transaction's records (its keys are sorted: a binary search).
        func isAwaited(_ reference: ParkedReference) -> Bool {
            guard case .object(let key) = reference.target else { return false }
            return preload.recordKeys.sortedContains(key)
        }
        let sources = Set(unlocked.filter(isAwaited).map(\.source))
        var owners: [BoiID] = []
        for (key, values) in preload.uniqueValues.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            owners += try transaction.instanceIDs(bo: key.bo, uniqueKey: key.fields, values: values)
        }
        let ids = (preload.recordKeys.compactMap { boiIDs[$0] } + sources + owners).sortedUnique()
        let instances = try transaction.instances(ids)
        // Read again under the sources' locks. A reference parked meanwhile for an instance this
        // batch does not hold waits for the migration's reference check.
        let waiting = try transaction.lockParkedReferences(of: sources.filter { instances[$0] != nil }.sorted())
            .filter(isAwaited)
        let catalog = try transaction.catalogEntries(preload.catalogKeys)
        set.load(
            boiIDs: boiIDs, instances: Array(instances.values), parked: waiting, uniqueKeys: assembler.uniqueKeys,
            catalog: catalog)
        return set
    }
}
