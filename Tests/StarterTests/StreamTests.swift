import Config
import Domain
import Foundation
import Handshake
import IntegrationSupport
import Journal
import Kafka
import Logging
import Postgres
import Starter
import Testing

@Suite("Starter: every record streamed exactly once", .serialized, .enabled(if: TestDatabase.isAvailable))
struct StreamTests {
    /// One reader, and several that each read a share of every table at once.
    @Test(.timeLimit(.minutes(2)), arguments: [1, 3])
    func everyRecordArrivesOnceWithItsKeyAndPayload(readers: Int) async throws {
        try await StarterFixture.with(partitions: 4, adjust: { $0.source.readers = readers }) { fixture, runtime in
            try await fixture.source.generate(people: 3000)
            let trackingID = try await fixture.source.signal(.day1)
            let before = try await fixture.trackingRow(trackingID)
            #expect(before["ins_inkafka_status"] == nil)
            #expect(before["occupied_by_process"] == nil)

            let reports = try await runtime.starter.runUntilIdle()
            #expect(reports.count == 1)
            let report = try #require(reports.first)
            let counts = try await fixture.source.counts()
            let migrated = counts.filter { $0.key != "in_company" }.values.reduce(0, +)
            #expect(report.recordsStreamed == migrated)
            #expect(report.recordsRejected == 1)

            let messages = try fixture.messages(of: report.migrationID)
            var uniqueKeys: [String: [String]] = [:]
            for table in fixture.configuration.mapping.tables { uniqueKeys[table.table] = table.uniqueKeys.first }
            var seen: [String: Int] = [:]
            var perTable: [String: Int64] = [:]
            var lastRecordOffset: [Int32: Int64] = [:]
            var markers: [RefCheckMarker] = []
            for (message, decoded) in messages {
                switch decoded {
                case .record(let record):
                    let externalId = try #require(record.externalId)
                    let key = try #require(message.key.map { String(decoding: $0, as: UTF8.self) })
                    // Every sample table has a unique key of plain columns, filled in every row.
                    let fields = try #require(uniqueKeys[record.table])
                    let expected = fields.map { record.row[$0] ?? .null }
                    #expect(key.hasPrefix("\(record.bo)="), "\(key)")
                    let value = String(decoding: key.utf8.dropFirst(record.bo.rawValue.utf8.count + 1), as: UTF8.self)
                    if fields.count > 1 {
                        #expect(try JSONDecoder().decode([JSONValue].self, from: Data(value.utf8)) == expected)
                    } else if case .string(let text) = expected[0] {
                        #expect(value == text)
                    } else {
                        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(value.utf8)) == expected[0])
                    }
                    #expect(record.operDate == .day1)
                    seen["\(record.table)/\(externalId)", default: 0] += 1
                    perTable[record.table, default: 0] += 1
                    lastRecordOffset[message.partition] = max(lastRecordOffset[message.partition] ?? -1, message.offset)
                case .refCheck(let marker):
                    #expect(marker.partition == message.partition)
                    #expect(message.offset > lastRecordOffset[message.partition] ?? -1)
                    markers.append(marker)
                }
            }
            #expect(seen.values.allSatisfy { $0 == 1 }, "a record arrived more than once")
            for (table, count) in counts where table != "in_company" {
                #expect(perTable[table] == count, "\(table): \(perTable[table] ?? 0) on the topic, \(count) in the table")
            }
            #expect(perTable["in_company"] == nil)
            #expect(markers.count == 4)
            #expect(Set(markers.map(\.partition)) == [0, 1, 2, 3])
            #expect(markers.allSatisfy { $0.records == migrated && $0.partitions == 4 })

            let after = try await fixture.trackingRow(trackingID)
            #expect(after["ins_inkafka_status"] == "DONE")
            #expect(after["occupied_by_process"] == report.migrationID.rawValue)
            #expect(after["start_ins_inkafka_time"] != nil)
            #expect(after["end_ins_inkafka_time"] != nil)
            #expect(after["migrate_cur_date"] != nil)
            #expect(after["periodic_update_time"] != nil)

            let journal = try #require(try await runtime.journal.report(report.migrationID))
            #expect(journal.status == "STREAMED")
            #expect(journal.recordsStreamed == migrated)
            for table in journal.tables where table.table != "in_company" {
                #expect(table.status == "STREAMED")
                #expect(table.rowsStreamed == counts[table.table])
                #expect(table.rowsTotal == counts[table.table])
            }
            #expect(journal.tables.first { $0.table == "in_person" }?.childRows == 6000)
            #expect(journal.tables.first { $0.table == "in_company" }?.status == "REFUSED")
        }
    }

    /// Read in three shares: records that may merge are in one share, so in the table's order.
    @Test(.timeLimit(.minutes(1)))
    func recordsThatMayMergeShareTheirKey() async throws {
        try await StarterFixture.with(partitions: 4, adjust: { $0.source.readers = 3 }) { fixture, runtime in
            try await fixture.source.generate(people: 200)
            try await fixture.source.addDuplicatesAndRemovals()
            try await fixture.source.client.execute(
                "INSERT INTO in_person (external_id, first_name, iin) VALUES ('P-NO-IIN', 'Nobody', NULL)")
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            var people: [String: KafkaMessage] = [:]
            for (message, decoded) in try fixture.messages(of: report.migrationID) {
                if case .record(let record) = decoded, record.bo == "Person", let externalId = record.externalId {
                    people[externalId] = message
                }
            }
            func key(_ externalId: String) throws -> String {
                let message = try #require(people[externalId], "\(externalId) is not on the topic")
                return try #require(message.key.map { String(decoding: $0, as: UTF8.self) })
            }
            #expect(try key("P-50") == "Person=000000000050")
            #expect(try key("DUP-P-50") == key("P-50"))
            #expect(people["DUP-P-50"]?.partition == people["P-50"]?.partition)
            for id in [50, 100, 150, 200] {
                #expect(try key("DUP-P-\(id)") == key("P-\(id)"))
                #expect(people["DUP-P-\(id)"]?.partition == people["P-\(id)"]?.partition)
                #expect(try #require(people["DUP-P-\(id)"]).offset > (try #require(people["P-\(id)"])).offset)
            }
            #expect(try key("P-51") == "Person=000000000051")
            #expect(try key("P-NO-IIN") == "Person:P-NO-IIN")
        }
    }

    /// A table larger than a quarter of PostgreSQL's buffers is read by "synchronized" scans: a
    /// scan starts where another scan of it last was, not on its first page. Someone's query that
    /// read half the table then would make the starter stream the second half first, and a
    /// duplicate from the end of the table would be merged before the record it follows.
    @Test(.timeLimit(.minutes(2)), arguments: [1, 2])
    func recordsComeInTheTableOrderWhereverAnotherScanLeftOff(readers: Int) async throws {
        try await StarterFixture.with(partitions: 2, adjust: { $0.source.readers = readers }) { fixture, runtime in
            let client = fixture.source.client
            // One row per page (fillfactor 10 leaves room for one 500-byte row), so few rows make
            // a table of more pages than a quarter of the server's buffers.
            let buffers = try #require(
                try await client.execute("SELECT setting::bigint AS n FROM pg_settings WHERE name = 'shared_buffers'")
                    .first?.int64("n"))
            let rows = buffers / 4 + 200
            try await client.execute("ALTER TABLE in_person SET (fillfactor = 10)")
            let insert = "INSERT INTO in_person (external_id, first_name, iin) VALUES"
            try await client.execute("\(insert) ('FIRST-OF-K', repeat('a', 500), 'K')")
            try await client.execute(
                """
                INSERT INTO in_person (external_id, first_name, iin)
                SELECT 'P-' || i, repeat('x', 500), lpad(i::text, 12, '0') FROM generate_series(1, \(rows)) i
                """)
            try await client.execute("\(insert) ('SECOND-OF-K', repeat('b', 500), 'K')")
            let pages = try #require(
                try await client.execute(
                    "SELECT pg_relation_size('in_person') / current_setting('block_size')::bigint AS n"
                ).first?.int64("n"))
            try #require(pages > buffers / 4, "in_person has \(pages) pages: scans of it would not synchronize")
            // Another session reads half the table, which leaves the scans' shared start there.
            _ = try await client.execute("SELECT external_id FROM in_person OFFSET \(rows / 2) LIMIT 1")
            try await fixture.source.signal(.day1)

            let report = try #require(try await runtime.starter.runUntilIdle().first)
            var offsets: [String: (partition: Int32, offset: Int64)] = [:]
            for (message, decoded) in try fixture.messages(of: report.migrationID) {
                if case .record(let record) = decoded, record.bo == "Person", let externalId = record.externalId {
                    offsets[externalId] = (message.partition, message.offset)
                }
            }
            #expect(offsets.count == Int(rows) + 2)
            let first = try #require(offsets["FIRST-OF-K"])
            let second = try #require(offsets["SECOND-OF-K"])
            #expect(first.partition == second.partition)
            #expect(first.offset < second.offset, "the duplicate was streamed before the record it follows")
            // One reader produces every partition in the table's order: P-1, P-2, … as far as
            // they share it. (Two interleave their shares' records with different keys.)
            for partition in Set(offsets.values.map(\.partition)) where readers == 1 {
                let numbers = offsets.filter { $0.value.partition == partition && $0.key.hasPrefix("P-") }
                    .sorted { $0.value.offset < $1.value.offset }.compactMap { Int($0.key.dropFirst(2)) }
                let misplaced = zip(numbers, numbers.dropFirst()).first { $0 > $1 }
                #expect(misplaced == nil, "partition \(partition): P-\(misplaced?.0 ?? 0) before P-\(misplaced?.1 ?? 0)")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func thePayloadCarriesTheRowAndItsChildren() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            try await fixture.source.generate(people: 20)
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            let records = try fixture.messages(of: report.migrationID).compactMap { entry -> RecordMessage? in
                if case .record(let record) = entry.decoded { return record }
                return nil
            }
            let person = try #require(records.first { $0.externalId == "P-7" })
            #expect(person.bo == "Person")
            #expect(person.table == "in_person")
            #expect(person.row["last_name"] == .string(#"Last "quoted" \ 7"#))
            #expect(person.row["department_external_id"] == .string("D-2"))
            #expect(person.row["birth_date"] == .string("1990-01-08"))
            #expect(person.row["removed"] == .bool(false))
            #expect(Set(person.row.keys) == [
                "external_id", "first_name", "last_name", "iin", "birth_date", "email", "department_external_id",
                "salary", "removed",
            ])
            #expect(person.children?["phones"]?.count == 2)
            let group = try #require(records.first { $0.externalId == "G-1" })
            #expect(group.row["member_external_ids"] == .array([.string("P-1"), .string("P-2"), .string("P-3")]))
            #expect(group.children == nil)
            let contract = try #require(records.first { $0.externalId == "C-1" })
            #expect(contract.children?["payments"]?.count == 1)
        }
    }

    /// A child table's columns change between two days while the service runs: the second day's
    /// child rows carry the added column and not the dropped one, with no restart. A child table
    /// gone fails that day's migration, naming the table; once it is back, the next day streams.
    @Test(.timeLimit(.minutes(2)))
    func childRowsFollowTheirTablesColumnsFromOneDayToTheNext() async throws {
        try await StarterFixture.with(partitions: 2) { fixture, runtime in
            let client = fixture.source.client
            func phones(_ migration: MigrationID) throws -> [JSONValue] {
                let person = try #require(
                    try fixture.messages(of: migration).compactMap { entry -> RecordMessage? in
                        if case .record(let record) = entry.decoded, record.externalId == "P-1" { return record }
                        return nil
                    }.first)
                return try #require(person.children?["phones"])
            }
            func columns(_ row: JSONValue) -> Set<String> {
                if case .object(let object) = row { return Set(object.keys) }
                return []
            }
            try await fixture.source.generate(people: 3)
            try await fixture.source.signal(.day1)
            let first = try #require(try await runtime.starter.runUntilIdle().first)
            #expect(try phones(first.migrationID).map(columns) == [["kind", "number"], ["kind", "number"]])

            try await client.execute("ALTER TABLE in_person_phone ADD COLUMN note text, DROP COLUMN kind")
            try await client.execute("UPDATE in_person_phone SET note = 'call after six'")
            try await fixture.source.signal(.day2)
            let second = try #require(try await runtime.starter.runUntilIdle().first)
            let phones2 = try phones(second.migrationID)
            #expect(phones2.map(columns) == [["note", "number"], ["note", "number"]])
            #expect(phones2.allSatisfy { $0["note"] == .string("call after six") })

            try await client.execute("ALTER TABLE in_person_phone RENAME TO in_person_phone_old")
            let third = try await fixture.source.signal(.day3)
            await #expect {
                try await runtime.starter.runUntilIdle()
            } throws: { error in
                "\(error)".contains("table 'in_person_phone' does not exist")
            }
            #expect(try await fixture.trackingRow(third)["ins_inkafka_status"] == "FAILED")

            try await client.execute("ALTER TABLE in_person_phone_old RENAME TO in_person_phone")
            try await fixture.source.signal(.day4)
            let fourth = try #require(try await runtime.starter.runUntilIdle().first)
            #expect(try phones(fourth.migrationID).map(columns) == [["note", "number"], ["note", "number"]])
        }
    }

    /// PostgreSQL renders some values by the session's settings, which a role, a database or the
    /// service's environment (`PGTZ`) may set: the same row must make the same message wherever
    /// the starter runs, and a float must keep every digit.
    @Test(.timeLimit(.minutes(1)))
    func valuesAreRenderedAlikeWhateverTheSessionsSettings() async throws {
        try await StarterFixture.with(
            partitions: 1,
            prepare: { fixture in
                try await fixture.source.client.execute(
                    """
                    DO $$ BEGIN
                        EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', current_database(), 'Asia/Almaty');
                        EXECUTE format('ALTER DATABASE %I SET extra_float_digits = 0', current_database());
                        EXECUTE format('ALTER DATABASE %I SET DateStyle = %L', current_database(), 'SQL, DMY');
                        EXECUTE format('ALTER DATABASE %I SET IntervalStyle = %L', current_database(), 'sql_standard');
                        EXECUTE format('ALTER DATABASE %I SET bytea_output = %L', current_database(), 'escape');
                    END $$
                    """)
                try await fixture.source.client.execute(
                    "ALTER TABLE in_person ADD COLUMN seen_at timestamptz, ADD COLUMN score float8, "
                        + "ADD COLUMN pause interval, ADD COLUMN photo bytea")
            }
        ) { fixture, runtime in
            try await fixture.source.client.execute(
                """
                INSERT INTO in_person (external_id, first_name, iin, birth_date, seen_at, score, pause, photo)
                VALUES ('P-1', 'One', '000000000001', '1990-01-08', '2026-11-20 10:00:00+00', 0.1::float8 + 0.2::float8,
                        interval '1 day 2 hours', '\\x01ff'::bytea)
                """)
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            let person = try #require(
                try fixture.messages(of: report.migrationID).compactMap { entry -> RecordMessage? in
                    if case .record(let record) = entry.decoded, record.externalId == "P-1" { return record }
                    return nil
                }.first)
            #expect(person.row["seen_at"] == .string("2026-11-20T10:00:00+00:00"))
            #expect(person.row["score"] == .number(JSONNumber("0.30000000000000004")!))
            #expect(person.row["pause"] == .string("1 day 02:00:00"))
            #expect(person.row["photo"] == .string(#"\x01ff"#))
            #expect(person.row["birth_date"] == .string("1990-01-08"))
        }
    }

    /// A customer's database may cut statements short (a role's or the database's
    /// `statement_timeout`): reading a large in-table takes as long as it takes, as for pg_dump.
    /// The other statements on the source still run under the customer's limit.
    @Test(.timeLimit(.minutes(2)))
    func aLongReadOutlastsTheSourcesStatementTimeout() async throws {
        try await StarterFixture.with(
            partitions: 2,
            adjust: { $0.source.url = connectionURL($0.source.url, settings: ["statement_timeout=50ms"]) }
        ) { fixture, runtime in
            try await fixture.source.generate(people: 3000)
            // Without the index every person's phones are found by reading all of them: the
            // COPY of in_person takes far longer than 50 ms.
            try await fixture.source.client.execute("DROP INDEX in_person_phone_person")
            try await fixture.source.signal(.day1)
            let reports = try await runtime.starter.runUntilIdle()
            let report = try #require(reports.first)
            let counts = try await fixture.source.counts()
            #expect(report.recordsStreamed == counts.filter { $0.key != "in_company" }.values.reduce(0, +))
            let limited = PostgresClientFactory.make(fixture.configuration.source.url)
            await #expect(throws: PostgresError.self) {
                try await limited.execute("SELECT pg_sleep(0.2)")
            }
            await limited.close()
        }
    }

    /// Each child mapping's rows under its field (a name JSON must escape), without their link
    /// column, in any order (the consumer sorts them), and an empty array for a record without
    /// any.
    @Test(.timeLimit(.minutes(1)))
    func childRowsComeUnderTheirField() async throws {
        let notes = #"notes "quoted" \ é"#
        let addNotes: (inout InMigrationConfiguration) -> Void = { configuration in
            let person = configuration.mapping.tables.firstIndex { $0.table == "in_person" }!
            configuration.mapping.tables[person].children.append(
                ChildTableMapping(table: "in_person_note", link: "person_external_id", field: notes))
        }
        let createNotes: (StarterFixture) async throws -> Void = { fixture in
            try await fixture.source.client.execute("CREATE TABLE in_person_note (person_external_id text, body text)")
            try await fixture.source.client.execute(
                "INSERT INTO in_person_note VALUES ('P-1', 'zeta'), ('P-1', 'alpha'), ('P-3', 'only'), ('P-404', 'orphan')")
        }
        try await StarterFixture.with(partitions: 2, adjust: addNotes, prepare: createNotes) { fixture, runtime in
            try await fixture.source.generate(people: 3)
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            let journal = try #require(try await runtime.journal.report(report.migrationID))
            // Two phones each, and the three notes of people in the table.
            #expect(journal.tables.first { $0.table == "in_person" }?.childRows == 9)
            var people: [String: RecordMessage] = [:]
            for (_, decoded) in try fixture.messages(of: report.migrationID) {
                if case .record(let record) = decoded, record.bo == "Person" { people[record.externalId ?? ""] = record }
            }
            // Without the link column: it only repeats the parent's externalId.
            func note(_ body: String) -> JSONValue { .object(["body": .string(body)]) }
            #expect(people["P-1"]?.children?[notes].map { Set($0) } == [note("alpha"), note("zeta")])
            #expect(people["P-1"]?.children?[notes]?.count == 2)
            #expect(people["P-2"]?.children?[notes] == [])
            #expect(people["P-3"]?.children?[notes] == [note("only")])
            #expect(people["P-1"]?.children.map { Set($0.fields) } == ["phones", notes])
            let phones = try #require(people["P-2"]?.children?["phones"])
            #expect(phones.compactMap { $0["kind"]?.stringValue }.sorted() == ["mobile", "work"])
            #expect(phones.allSatisfy { $0["person_external_id"] == nil && $0["number"] != nil })
        }
    }

    /// Columns named like the statement's aliases for whole rows (`t` of the in-table, `r` of a
    /// child row): PostgreSQL prefers a column to a table alias of the same name.
    @Test(.timeLimit(.minutes(1)))
    func columnsNamedLikeTheStatementsAliasesAreStreamed() async throws {
        let addColumns: (StarterFixture) async throws -> Void = { fixture in
            try await fixture.source.client.execute("ALTER TABLE in_person ADD COLUMN t int DEFAULT 7")
            try await fixture.source.client.execute("ALTER TABLE in_person_phone ADD COLUMN r text DEFAULT 'x'")
        }
        try await StarterFixture.with(partitions: 2, prepare: addColumns) { fixture, runtime in
            try await fixture.source.generate(people: 3)
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            var people: [RecordMessage] = []
            for (_, decoded) in try fixture.messages(of: report.migrationID) {
                if case .record(let record) = decoded, record.bo == "Person" { people.append(record) }
            }
            #expect(people.count == 3)
            #expect(people.allSatisfy { $0.row["t"] == .number(7) })
            #expect(people.allSatisfy { $0.children?["phones"]?.count == 2 })
            #expect(people.allSatisfy { $0.children?["phones"]?.allSatisfy { $0["r"] == .string("x") } == true })
        }
    }

    /// A record larger than the producer takes is reported with its table and externalId and
    /// not streamed; the other records are, and the day is done.
    @Test(.timeLimit(.minutes(1)))
    func aRecordTooLargeForTheProducerIsReportedAndTheRestStreamed() async throws {
        try await StarterFixture.with(partitions: 2, adjust: { $0.kafka.producer["message.max.bytes"] = "4000" }) {
            fixture, runtime in
            try await fixture.source.generate(people: 10)
            try await fixture.source.client.execute("UPDATE in_person SET first_name = repeat('x', 5000) WHERE external_id = 'P-4'")
            let trackingID = try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            #expect(try await fixture.trackingRow(trackingID)["ins_inkafka_status"] == "DONE")
            let journal = try #require(try await runtime.journal.report(report.migrationID))
            let people = try #require(journal.tables.first { $0.table == "in_person" })
            #expect(people.rowsRead == 10 && people.rowsStreamed == 9 && people.rowsRejected == 1)
            let errors = try await runtime.journal.errors(of: report.migrationID).filter { $0.table == "in_person" }
            #expect(errors.map(\.externalID) == ["P-4"])
            #expect(errors.first?.reason.contains("message.max.bytes") == true)
            var streamed = Set<String>()
            for (_, decoded) in try fixture.messages(of: report.migrationID) {
                if case .record(let record) = decoded, record.bo == "Person" { streamed.insert(record.externalId ?? "") }
            }
            #expect(streamed.count == 9 && !streamed.contains("P-4"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func companyRecordsAreRefusedWithAnError() async throws {
        try await StarterFixture.with(partitions: 1) { fixture, runtime in
            try await fixture.source.generate(people: 5)
            try await fixture.source.signal(.day1)
            let report = try #require(try await runtime.starter.runUntilIdle().first)
            let journal = try #require(try await runtime.journal.report(report.migrationID))
            let error = try #require(journal.errors.first { $0.table == "in_company" })
            #expect(error.externalID == "CO-1")
            #expect(error.reason.contains("Company"))
            #expect(error.reason.contains("refused"))
            #expect(journal.recordsRejected == 1)
            let onTopic = try fixture.messages(of: report.migrationID).filter {
                if case .record(let record) = $0.decoded { return record.bo == "Company" }
                return false
            }
            #expect(onTopic.isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func nothingReadyWhenTheCustomerHasNotSignalled() async throws {
        try await StarterFixture.with(partitions: 1) { fixture, runtime in
            try await fixture.source.generate(people: 5)
            try await fixture.source.signal(.day1, ready: false)
            #expect(try await runtime.starter.runUntilIdle().isEmpty)
            #expect(try await runtime.starter.claim() == .nothingReady)
        }
    }
}
