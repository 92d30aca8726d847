import Domain
import Postgres
import Store

extension PostgresStoreTransaction {
    /// Writes a batch: one statement per kind of change, in this order, skipping empty ones —
    /// positions first (so a fenced-off batch writes nothing), then instances, touches,
    /// mappings, dropped references (cleared fields and resolved slots together), new parked
    /// references, outbox, errors, counters and offset gaps. Rows are written in key
    /// order, which keeps two batches from locking the same rows in opposite orders.
    /// - Returns: the id of the outbox row holding the batch's messages; nil when there are none.
    /// - Throws: ``StoreConflict`` `.positionMoved` when a position is not where the batch read
    ///   it, `.duplicateKey` for a unique-key clash, `.retryable` for a deadlock.
    func apply(_ changes: StoreChanges) throws -> Int64? {
        if let positions = changes.positions { try movePositions(positions) }
        try writeInstances(changes.instances, created: changes.created, texts: changes.creationTexts)
        try touch(changes.touched)
        try upsertMappings(changes.mappings)
        try unpark(fields: changes.clearedReferenceFields, slots: changes.unparked)
        try park(changes.parked)
        let outboxID = try insertOutbox(changes.outbox)
        try insertErrors(changes.errors)
        try addStats(changes.stats)
        try insertGaps(changes.gaps)
        return outboxID
    }

    /// Moves stored positions only from where the batch read them, and creates missing ones
    /// only if nobody else did in the meantime: any position not moved means another consumer
    /// got there first.
    private func movePositions(_ update: PositionUpdate) throws {
        let moves = update.moves.sorted { $0.key < $1.key }
        guard !moves.isEmpty else { return }
        let existing = moves.compactMap { move in move.value.from.map { (move.key, $0, move.value.to) } }
        let fresh = moves.filter { $0.value.from == nil }
        let rows = try run(
            """
            WITH moved AS (
                UPDATE \(tables.position) p SET next_offset = m.to_offset, updated_at = now()
                FROM unnest($3::int[], $4::bigint[], $5::bigint[]) AS m (partition, from_offset, to_offset)
                WHERE p.group_id = $1 AND p.topic = $2 AND p.partition = m.partition
                    AND p.next_offset = m.from_offset
                RETURNING p.partition
            ), started AS (
                INSERT INTO \(tables.position) (group_id, topic, partition, next_offset)
                SELECT $1, $2, n.partition, n.to_offset FROM unnest($6::int[], $7::bigint[]) AS n (partition, to_offset)
                ON CONFLICT (group_id, topic, partition) DO NOTHING
                RETURNING partition
            )
            SELECT partition FROM moved UNION ALL SELECT partition FROM started
            """,
            [
                update.group, update.topic,
                PostgresArray.text(existing.map { String($0.0) }),
                PostgresArray.text(existing.map { String($0.1) }),
                PostgresArray.text(existing.map { String($0.2) }),
                PostgresArray.text(fresh.map { String($0.key) }),
                PostgresArray.text(fresh.map { String($0.value.to) }),
            ])
        let moved = Set(rows.compactMap { $0.int("partition").map(Int32.init) })
        if let partition = moves.map(\.key).first(where: { !moved.contains($0) }) {
            throw StoreConflict(
                .positionMoved(partition: partition),
                message: "\(update.group)/\(update.topic) partition \(partition) is no longer where this batch read it")
        }
    }

    /// Inserts new instances and overwrites changed ones whole; `created_at` is set only on
    /// insert. An instance given twice is written once, as last given. The update names its ids
    /// once more as `boi_id = ANY(…)`, so the instances are found through the primary key
    /// whatever join the planner picks (it once scanned them all to hash them).
    ///
    /// New ones take a binary `COPY`, a plain insert: the batch found no instance under their
    /// id. Another transaction can create one meanwhile only from another partition — a record
    /// of the same externalId that differs in the unique key the starter partitions by, in the
    /// other lane — and the primary key then makes this batch retry
    /// (``ConflictMapper/instanceKey``). An upsert's conflict check would cost every row for that
    /// rare case. `COPY` rather than `INSERT … SELECT FROM unnest(…)`: no arrays to render,
    /// parse and unnest. Consuming 300,000 records (eight runs each, alternating) took the
    /// server 10.3 s of CPU on average (8.7–11.1) instead of 11.6 s (10.2–12.7).
    ///
    /// A new instance's document is built from the text of its creation event's changes where
    /// `texts` has it (``DocumentJSON/encode(_:withoutNulls:)``).
    private func writeInstances(
        _ instances: [BOIInstance], created: Set<BoiID>, texts: [BoiID: ArraySlice<UInt8>]
    ) throws {
        // Of an id given twice, the last given replaces the other. Found by hashing, not by
        // sorting: the consumer gives each id once (a repeat is searched for, rarely), and sorting
        // 36-character ids was a sixth of writing the batch. No order is needed: the instances to
        // update were locked when read. Positions, not instances, are sorted out: each copy of an
        // instance retained and released all of its members.
        var latest: [Int] = []
        latest.reserveCapacity(instances.count)
        var seen = Set<BoiID>(minimumCapacity: instances.count)
        for index in instances.indices {
            if seen.insert(instances[index].boiId).inserted {
                latest.append(index)
            } else if let earlier = latest.firstIndex(where: { instances[$0].boiId == instances[index].boiId }) {
                latest[earlier] = index
            }
        }
        var new: [Int] = []
        var changed: [Int] = []
        for index in latest {
            if created.contains(instances[index].boiId) { new.append(index) } else { changed.append(index) }
        }
        if !new.isEmpty {
            try copy(
                "COPY \(tables.instance) (boi_id, bo, external_id, document, actual, version) FROM STDIN (FORMAT binary)",
                rows: new.map { index in
                    [
                        .text(instances[index].boiId.rawValue), .text(instances[index].bo.rawValue),
                        .text(instances[index].externalId), .jsonb(self.document(of: instances[index], texts: texts)),
                        .bool(instances[index].actual), .int64(instances[index].version),
                    ]
                })
        }
        if !changed.isEmpty {
            let updated = try run(
                """
                UPDATE \(tables.instance) i SET
                    bo = u.bo, external_id = u.external_id, document = u.document, actual = u.actual,
                    version = u.version, updated_at = now(), in_migration_updated_at = now()
                FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::boolean[], $6::bigint[])
                    AS u (boi_id, bo, external_id, document, actual, version)
                WHERE i.boi_id = u.boi_id AND i.boi_id = ANY($1::text[])
                """,
                parameters: columns(of: changed.map { instances[$0] }))
            guard updated.affectedRows == changed.count else {
                throw PostgresStoreError(
                    code: .invalidArgument,
                    message: "\(changed.count - updated.affectedRows) of \(changed.count) changed instances are not in the store")
            }
        }
    }

    private func document(of instance: BOIInstance, texts: [BoiID: ArraySlice<UInt8>]) -> [UInt8] {
        guard let text = texts[instance.boiId] else { return DocumentJSON.encode(instance.document) }
        return DocumentJSON.encode(instance.document, withoutNulls: text)
    }

    /// The documents go as a binary `jsonb[]`: as a text array literal, every quote in them
    /// would be escaped here and unescaped by the server.
    private func columns(of instances: [BOIInstance]) -> [PostgresParameter] {
        [
            .text(PostgresArray.text(instances.map(\.boiId.rawValue))),
            .text(PostgresArray.text(instances.map(\.bo.rawValue))),
            .text(PostgresArray.text(instances.map(\.externalId))),
            .jsonbArray(instances.map { DocumentJSON.encode($0.document) }),
            .text(PostgresArray.text(instances.map { $0.actual ? "t" : "f" })),
            .text(PostgresArray.text(instances.map { String($0.version) })),
        ]
    }

    /// Instances a record arrived for without changing them: only the time is written.
    private func touch(_ ids: [BoiID]) throws {
        guard !ids.isEmpty else { return }
        try run(
            "UPDATE \(tables.instance) SET in_migration_updated_at = now() WHERE boi_id = ANY($1::text[])",
            [PostgresArray.text(ids.sortedUnique().map(\.rawValue))])
    }

    /// Only aliases are stored: a key mapped to the instance derived from it (every new
    /// instance's own key) is found through that instance. An alias the key had before is deleted.
    private func upsertMappings(_ mappings: [BOKey: BoiID]) throws {
        var aliases: [(key: BOKey, value: BoiID)] = []
        var unaliased: [BOKey] = []
        for (key, id) in mappings {
            if !id.isDerived(from: key) {
                aliases.append((key, id))
            } else if aliasesRead.contains(key) || !keysRead.sortedContains(key) {
                unaliased.append(key)
            }
        }
        if !unaliased.isEmpty {
            unaliased.sort()
            try run(
                """
                DELETE FROM \(tables.map) m USING unnest($1::text[], $2::text[]) AS k (bo, external_id)
                WHERE m.bo = k.bo AND m.external_id = k.external_id
                """,
                [PostgresArray.text(unaliased.map(\.bo.rawValue)), PostgresArray.text(unaliased.map(\.externalId))])
        }
        guard !aliases.isEmpty else { return }
        aliases.sort { $0.key < $1.key }
        try run(
            """
            INSERT INTO \(tables.map) (bo, external_id, boi_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
            ON CONFLICT (bo, external_id) DO UPDATE SET boi_id = excluded.boi_id
            """,
            [
                PostgresArray.text(aliases.map(\.key.bo.rawValue)),
                PostgresArray.text(aliases.map(\.key.externalId)),
                PostgresArray.text(aliases.map(\.value.rawValue)),
            ])
    }

    /// Drops every parked reference of the cleared fields (any position) and the resolved
    /// slots, in one statement: a NULL position in the array stands for the whole field.
    private func unpark(fields: [ReferenceField], slots: [ParkedReference.Slot]) throws {
        guard !fields.isEmpty || !slots.isEmpty else { return }
        let sources = fields.map(\.source.rawValue) + slots.map(\.source.rawValue)
        let names = fields.map(\.field) + slots.map(\.field)
        let positions = fields.map { _ in String?.none } + slots.map { String($0.position ?? -1) }
        try run(
            """
            DELETE FROM \(tables.reference) r
            USING unnest($1::text[], $2::text[], $3::int[]) AS u (source_boi_id, field, position)
            WHERE r.source_boi_id = u.source_boi_id AND r.field = u.field
                AND (u.position IS NULL OR r.position = u.position)
            """,
            [PostgresArray.text(sources), PostgresArray.text(names), PostgresArray.text(positions)])
    }

    /// A slot parked again waits for the new target from now on. A slot given twice is
    /// written once, as last given.
    private func park(_ references: [ParkedReference]) throws {
        var latest: [ParkedReference.Slot: ParkedReference] = [:]
        for reference in references { latest[reference.slot] = reference }
        let sorted = latest.values.sorted {
            ($0.source, $0.field, $0.position ?? -1) < ($1.source, $1.field, $1.position ?? -1)
        }
        guard !sorted.isEmpty else { return }
        let columns = TargetColumns(sorted)
        try run(
            """
            INSERT INTO \(tables.reference) (source_boi_id, field, position, target_kind, target_bo,
                target_external_id, catalog, code, migration_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[])
            ON CONFLICT (source_boi_id, field, position) DO UPDATE SET
                target_kind = excluded.target_kind, target_bo = excluded.target_bo,
                target_external_id = excluded.target_external_id, catalog = excluded.catalog,
                code = excluded.code, migration_id = excluded.migration_id, created_at = now()
            """,
            [
                PostgresArray.text(columns.sources), PostgresArray.text(columns.fields),
                PostgresArray.text(columns.positions), PostgresArray.text(columns.kinds),
                PostgresArray.text(columns.bos), PostgresArray.text(columns.externalIds),
                PostgresArray.text(columns.catalogs), PostgresArray.text(columns.codes),
                PostgresArray.text(columns.migrations),
            ])
    }
}
