import Domain
import Postgres
import Store

extension PostgresStoreTransaction {
    func positions(group: String, topic: String, partitions: [Int32]) throws -> [Int32: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let rows = try run(
            """
            SELECT partition, next_offset FROM \(tables.position)
            WHERE group_id = $1 AND topic = $2 AND partition = ANY($3::int[])
            ORDER BY partition FOR UPDATE
            """,
            [group, topic, PostgresArray.text(Set(partitions).sorted().map(String.init))])
        var positions: [Int32: Int64] = [:]
        for row in rows {
            guard let partition = row.int("partition"), let offset = row.int64("next_offset") else { continue }
            positions[Int32(partition)] = offset
        }
        return positions
    }

    /// An externalId maps to the instance its record created, whose id is derived from it, unless
    /// `boi_map` holds an alias (a record merged into another instance): one statement reads the
    /// aliases, locking those of `locked` keys in key order, and probes the derived ids of the
    /// other keys, each key in an index (see ``PostgresStoreTransaction``).
    func boiIDs(for keys: [BOKey], lockingAliasesOf locked: [BOKey]) throws -> [BOKey: BoiID] {
        let keys = keys.sortedUnique()
        guard !keys.isEmpty else { return [:] }
        let lockFlags = keys.membership(in: locked.sortedUnique())
        let rows = try run(
            """
            WITH keys AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS k (bo, external_id, derived, lock)
            ), locked AS (
                SELECT m.bo, m.external_id, m.boi_id FROM keys k
                CROSS JOIN LATERAL (
                    SELECT * FROM \(tables.map) m WHERE m.bo = k.bo AND m.external_id = k.external_id
                    OFFSET 0 FOR UPDATE
                ) m
                WHERE k.lock
            ), aliases AS (
                SELECT * FROM locked
                UNION ALL
                SELECT m.bo, m.external_id, m.boi_id FROM keys k
                CROSS JOIN LATERAL (
                    SELECT * FROM \(tables.map) m WHERE m.bo = k.bo AND m.external_id = k.external_id OFFSET 0
                ) m
                WHERE NOT k.lock
            )
            SELECT bo, external_id, boi_id, true AS alias FROM aliases
            UNION ALL
            SELECT k.bo, k.external_id, k.derived, false FROM keys k
            CROSS JOIN LATERAL (SELECT 1 FROM \(tables.instance) i WHERE i.boi_id = k.derived OFFSET 0) i
            WHERE NOT EXISTS (SELECT 1 FROM aliases a WHERE a.bo = k.bo AND a.external_id = k.external_id)
            """,
            [
                PostgresArray.text(keys.map(\.bo.rawValue)), PostgresArray.text(keys.map(\.externalId)),
                Self.derivedIDs(of: keys),
                PostgresArray.text(lockFlags.map { $0 ? "t" : "f" }),
            ])
        keysRead = keysRead.mergingSortedUnique(keys)
        var ids: [BOKey: BoiID] = [:]
        ids.reserveCapacity(rows.count)
        for row in rows {
            guard let bo = row["bo"], let externalId = row["external_id"], let id = row["boi_id"] else { continue }
            let key = BOKey(bo: BOCode(bo), externalId: externalId)
            ids[key] = BoiID(rawValue: id)
            if row.bool("alias") == true { aliasesRead.insert(key) }
        }
        return ids
    }

    /// The literal of the ids derived from `keys`, written without making a string of each.
    private static func derivedIDs(of keys: [BOKey]) -> String {
        var ids = PostgresArray()
        for key in keys {
            BoiID.withDerivedUTF8(of: key) { ids.append(utf8: $0) }
        }
        return ids.finish()
    }

    func instances(_ ids: [BoiID]) throws -> [BoiID: BOIInstance] {
        guard !ids.isEmpty else { return [:] }
        let rows = try run(
            """
            SELECT \(StoredRows.instanceColumns("i")) FROM \(tables.instance) i
            WHERE i.boi_id = ANY($1::text[]) ORDER BY i.boi_id FOR UPDATE
            """,
            [PostgresArray.text(ids.sortedUnique().map(\.rawValue))])
        var instances: [BoiID: BOIInstance] = [:]
        instances.reserveCapacity(rows.count)
        for row in rows {
            let instance = try StoredRows.instance(row)
            instances[instance.boiId] = instance
        }
        return instances
    }

    /// Compares `document->>'field'` text with the BO and fields as literals: exactly the
    /// expression and predicate of the partial unique index, so each value's probe (see
    /// ``PostgresStoreTransaction``) uses it.
    func instanceIDs(bo: BOCode, uniqueKey fields: [String], values: [[String]]) throws -> [BoiID] {
        guard !fields.isEmpty, !values.isEmpty else { return [] }
        if let bad = values.first(where: { $0.count != fields.count }) {
            throw PostgresStoreError(
                code: .invalidArgument,
                message: "unique key \(fields) given \(bad.count) values instead of \(fields.count)")
        }
        let keys = fields.map { UniqueKeyIndex.column($0, of: "i") }.joined(separator: ", ")
        let literal = PostgresConnection.quoteLiteral(bo.rawValue)
        let arrays = fields.indices.map { "$\($0 + 1)::text[]" }.joined(separator: ", ")
        let columns = fields.indices.map { "c\($0)" }.joined(separator: ", ")
        let probe = fields.indices.map { "v.c\($0)" }.joined(separator: ", ")
        let unique = Array(Set(values))
        let rows = try run(
            """
            SELECT i.boi_id FROM unnest(\(arrays)) AS v (\(columns))
            CROSS JOIN LATERAL (
                SELECT i.boi_id FROM \(tables.instance) i WHERE i.bo = \(literal) AND (\(keys)) = (\(probe)) OFFSET 0
            ) i
            ORDER BY i.boi_id
            """,
            fields.indices.map { field in PostgresArray.text(unique.map { $0[field] }) })
        return rows.compactMap { $0["boi_id"].map(BoiID.init(rawValue:)) }
    }

    /// Each target kind has its own index, probed once per target of that kind (see
    /// ``PostgresStoreTransaction``): a join on `kind = 'object' AND … OR kind = 'catalog' AND …`
    /// cost a bitmap-OR of both indexes for every target, half again as long for 2,500 targets.
    func parkedReferences(waitingFor targets: [ParkedReference.Target], limitEach: Int?) throws -> [ParkedReference] {
        var objects: (bos: [String], externalIds: [String]) = ([], [])
        var entries: (catalogs: [String], codes: [String]) = ([], [])
        for target in Set(targets) {
            switch target {
            case .object(let key):
                objects.bos.append(key.bo.rawValue)
                objects.externalIds.append(key.externalId)
            case .catalogEntry(let catalog, let code):
                entries.catalogs.append(catalog)
                entries.codes.append(code)
            }
        }
        guard !objects.bos.isEmpty || !entries.catalogs.isEmpty else { return [] }
        let rows = try run(
            """
            SELECT \(StoredRows.referenceColumns("r"))
            FROM unnest($1::text[], $2::text[]) AS t (bo, external_id)
            CROSS JOIN LATERAL (
                SELECT * FROM \(tables.reference) r
                WHERE r.target_kind = 'object' AND r.target_bo = t.bo AND r.target_external_id = t.external_id
                LIMIT $5::bigint OFFSET 0
            ) r
            UNION ALL
            SELECT \(StoredRows.referenceColumns("r"))
            FROM unnest($3::text[], $4::text[]) AS t (catalog, code)
            CROSS JOIN LATERAL (
                SELECT * FROM \(tables.reference) r WHERE r.catalog = t.catalog AND r.code = t.code
                LIMIT $5::bigint OFFSET 0
            ) r
            ORDER BY source_boi_id, field, position
            """,
            [
                PostgresArray.text(objects.bos), PostgresArray.text(objects.externalIds),
                PostgresArray.text(entries.catalogs), PostgresArray.text(entries.codes), limitEach.map(String.init),
            ])
        return try rows.map { try StoredRows.reference($0) }
    }

    /// Locks in key order: the sources sorted, and each source's references in primary-key order.
    func lockParkedReferences(of sources: [BoiID]) throws -> [ParkedReference] {
        guard !sources.isEmpty else { return [] }
        let rows = try run(
            """
            SELECT \(StoredRows.referenceColumns("r")) FROM unnest($1::text[]) AS s (source_boi_id)
            CROSS JOIN LATERAL (
                SELECT * FROM \(tables.reference) r WHERE r.source_boi_id = s.source_boi_id
                ORDER BY r.field, r.position OFFSET 0 FOR UPDATE
            ) r
            ORDER BY r.source_boi_id, r.field, r.position
            """,
            [PostgresArray.text(sources.sortedUnique().map(\.rawValue))])
        return try rows.map { try StoredRows.reference($0) }
    }

    func parkedReferences(of migration: MigrationID, after slot: ParkedReference.Slot?, limit: Int) throws
        -> [ParkedReference]
    {
        let after = slot.map { [$0.source.rawValue, $0.field, String($0.position ?? -1)] }
        let rows = try run(
            """
            SELECT \(StoredRows.referenceColumns("r")) FROM \(tables.reference) r
            WHERE r.migration_id = $1\(after == nil ? "" : " AND (r.source_boi_id, r.field, r.position) > ($3, $4, $5::int)")
            ORDER BY r.source_boi_id, r.field, r.position LIMIT $2
            """,
            [migration.rawValue, String(limit)] + (after ?? []))
        return try rows.map { try StoredRows.reference($0) }
    }

    /// Not locked: catalog entries belong to the platform and are only read here; locking them
    /// would make every batch that resolves a popular code write to its row.
    func catalogEntries(_ keys: [CatalogKey]) throws -> [CatalogKey: String] {
        let keys = Array(Set(keys))
        guard !keys.isEmpty else { return [:] }
        let rows = try run(
            """
            SELECT c.catalog, c.code, c.id FROM \(tables.catalogEntry) c
            JOIN unnest($1::text[], $2::text[]) AS k (catalog, code) ON c.catalog = k.catalog AND c.code = k.code
            """,
            [PostgresArray.text(keys.map(\.catalog)), PostgresArray.text(keys.map(\.code))])
        var entries: [CatalogKey: String] = [:]
        for row in rows {
            guard let catalog = row["catalog"], let code = row["code"], let id = row["id"] else { continue }
            entries[CatalogKey(catalog: catalog, code: code)] = id
        }
        return entries
    }
}
