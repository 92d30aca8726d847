import Postgres
import Store

extension PostgresStoreTransaction {
    /// Records the gaps a batch found; finding the same gap again (a redelivered batch) adds nothing.
    func insertGaps(_ gaps: [OffsetGap]) throws {
        for gap in gaps {
            try run(
                """
                INSERT INTO \(tables.gap) (group_id, topic, partition, from_offset, to_offset)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                """,
                [gap.group, gap.topic, String(gap.partition), String(gap.from), String(gap.to)])
        }
    }
}

extension PostgresBOIStore {
    public func positions(group: String, topic: String) async throws -> [Int32: Int64] {
        let rows = try await client.execute(
            "SELECT partition, next_offset FROM \(tables.position) WHERE group_id = $1 AND topic = $2",
            [group, topic])
        var positions: [Int32: Int64] = [:]
        for row in rows {
            guard let partition = row.int("partition"), let offset = row.int64("next_offset") else { continue }
            positions[Int32(partition)] = offset
        }
        return positions
    }

    public func unreportedGaps() async throws -> [OffsetGap] {
        try await client.execute(
            """
            SELECT group_id, topic, partition, from_offset, to_offset FROM \(tables.gap)
            WHERE reported_at IS NULL ORDER BY found_at, partition
            """
        ).map { row in
            guard let group = row["group_id"], let topic = row["topic"], let partition = row.int("partition"),
                let from = row.int64("from_offset"), let to = row.int64("to_offset")
            else { throw PostgresStoreError(code: .corruptRow, message: "consumer_gap row with a NULL column") }
            return OffsetGap(group: group, topic: topic, partition: Int32(partition), from: from, to: to)
        }
    }

    public func markReported(_ gaps: [OffsetGap]) async throws {
        for gap in gaps {
            try await client.execute(
                """
                UPDATE \(tables.gap) SET reported_at = now()
                WHERE group_id = $1 AND topic = $2 AND partition = $3 AND from_offset = $4
                """,
                [gap.group, gap.topic, String(gap.partition), String(gap.from)])
        }
    }
}
