import Config
import Domain
import Foundation
import Handshake
import Journal
import Kafka
import Logging
import Postgres

extension Starter {
    /// Streams a claimed migration to the end: every table, the delivery check, the reference-check
    /// markers, then the done-signal.
    ///
    /// While it runs, a companion task renews the lease and writes progress to the journal. On any
    /// failure the migration is marked failed in the journal and in `process_tracking` (never done);
    /// when the task is cancelled (shutdown) the claim is released so another instance can take it.
    /// - Parameter observer: called about twice a second with the counters (for a progress bar).
    public func stream(
        _ claim: Claim, observer: (@Sendable (MigrationID, [TableProgress]) -> Void)? = nil
    ) async throws -> StreamReport {
        let started = ContinuousClock.now
        let id = claim.migrationID
        try await journal.begin(
            MigrationStart(
                migrationID: id, trackingID: claim.trackingID, operDate: claim.operDate, claimedBy: claimedBy,
                takeoverOf: claim.takeoverOf,
                tables: configuration.mapping.tables.map { ($0.table, $0.bo, configuration.mapping.isRefused($0.bo)) }))
        let progress = StreamProgress(tables: configuration.mapping.tables.map(\.table))
        let control = StreamControl()
        let companion = Task { await keepAlive(claim, progress: progress, control: control, observer: observer) }
        defer { companion.cancel() }
        let report: StreamReport
        do {
            report = try await withTaskCancellationHandler {
                try await streamTables(claim, progress: progress, control: control, started: started)
            } onCancel: {
                control.stop(.cancelled)
            }
            companion.cancel()
            _ = await companion.value
            observer?(id, progress.snapshot)
            guard try await handshake.signalStreamed(claim) else {
                // Explained below from the row (``starterError(_:stop:claim:control:handshake:)``).
                throw StreamStopped(code: .leaseLost)
            }
        } catch {
            companion.cancel()
            // The verdict must be written even when this task was cancelled (shutdown), and the
            // database client refuses work from a cancelled task: write it from a fresh one.
            let (journal, handshake, snapshot) = (self.journal, self.handshake, progress.snapshot)
            // Told in this task: a shutdown shows as its cancellation.
            let stop = Self.stopCode(error, control: control)
            let failure = await Task {
                await Self.starterError(error, stop: stop, claim: claim, control: control, handshake: handshake)
            }.value
            await Task {
                try? await journal.recordProgress(id, snapshot)
                if failure.code == .cancelled {
                    try? await journal.markAbandoned(id, reason: failure.message)
                    try? await handshake.release(claim)
                } else {
                    try? await journal.markFailed(id, reason: failure.message)
                    if failure.code != .leaseLost { try? await handshake.signalFailed(claim) }
                }
            }.value
            if failure.code == .cancelled {
                logger.notice("migration stopped, claim released", metadata: ["migration_id": "\(id)"])
            } else {
                logger.error("migration failed", metadata: ["migration_id": "\(id)", "error": "\(failure)"])
            }
            throw failure
        }
        await recordStreamed(report)
        StarterMetrics.streamed(seconds: report.seconds)
        logger.info(
            "migration streamed",
            metadata: [
                "migration_id": "\(id)", "records": "\(report.recordsStreamed)",
                "rejected": "\(report.recordsRejected)", "seconds": "\(report.seconds)",
            ])
        return report
    }

    /// Writes the journal's verdict once the customer has the done-signal, retrying with backoff:
    /// the migration is streamed now whatever the journal's database says, and the monitor gives
    /// the safe-to-clear signal only for migrations the journal calls streamed. Written from a
    /// fresh task, so that a shutdown arriving now does not cut it short.
    private func recordStreamed(_ report: StreamReport) async {
        let (journal, logger, attempts) = (self.journal, self.logger, Self.verdictAttempts)
        await Task {
            var delay = Duration.milliseconds(250)
            for attempt in 1...attempts {
                do {
                    try await journal.markStreamed(
                        report.migrationID, records: report.recordsStreamed, rejected: report.recordsRejected)
                    return
                } catch where attempt < attempts {
                    logger.warning(
                        "journal verdict not written, retrying",
                        metadata: ["migration_id": "\(report.migrationID)", "attempt": "\(attempt)", "error": "\(error)"])
                    try? await Task.sleep(for: delay)
                    delay *= 2
                } catch {
                    logger.critical(
                        "the done-signal was given but the journal still says STREAMING: no safe-to-clear signal will follow until it says STREAMED",
                        metadata: ["migration_id": "\(report.migrationID)", "error": "\(error)"])
                }
            }
        }.value
    }

    /// How often ``recordStreamed(_:)`` tries, about sixteen seconds in all.
    static let verdictAttempts = 7

    private func streamTables(
        _ claim: Claim, progress: StreamProgress, control: StreamControl, started: ContinuousClock.Instant
    ) async throws -> StreamReport {
        let id = claim.migrationID
        // Discovered for each migration, not once per process: a column added to or dropped from
        // a child table between two days is in (or out of) the next day's child rows without a
        // restart. (Root rows are read whole, `t.*`, and follow the table anyway.)
        let tables = try await InTableCatalog.discover(configuration: configuration, client: readers[0])
        let tag = Self.makeTag()
        defer { producer.forget(tag: tag) }
        // Every table, every share and every count in one view of the source (``SourceSnapshot``).
        let snapshot = try await SourceSnapshot.export(for: id, conninfo: configuration.source.url, logger: logger)
        var sent = 0
        do {
            for (index, table) in tables.enumerated() {
                let refused = configuration.mapping.isRefused(table.mapping.bo)
                let count = RecordQuery.count(for: table, schema: configuration.source.schema)
                let total = try await readers[0].withConnection { connection in
                    try snapshot.read(on: connection) { try $0.execute(count).first?.int64("n") ?? 0 }
                }
                progress.update(index) { $0.rowsTotal = total }
                try await journal.tableStarted(id, table: table.name, rowsTotal: total)
                let final: TableProgress
                if refused {
                    final = try await refuse(
                        table, index: index, claim: claim, snapshot: snapshot, progress: progress, control: control)
                } else {
                    try await reportExternalIdsWithSeveralKeys(table, claim: claim, snapshot: snapshot)
                    final = try await send(
                        table, index: index, claim: claim, tag: tag, snapshot: snapshot, progress: progress,
                        control: control)
                    sent += Int(final.rowsStreamed)
                }
                try await journal.tableFinished(id, final, status: refused ? .refused : .streamed)
                StarterMetrics.tableFinished(bo: table.mapping.bo, final)
            }
        } catch {
            await snapshot.close()
            throw error
        }
        await snapshot.close()
        let timeout = configuration.kafka.deliveryTimeout.duration + .seconds(30)
        try await awaitDelivery(tag: tag, expected: sent, timeout: timeout, id: id, what: "records", control: control)
        let markers = try await sendMarkers(claim, records: Int64(sent), timeout: timeout, control: control)
        let final = progress.snapshot
        return StreamReport(
            migrationID: id, trackingID: claim.trackingID, operDate: claim.operDate, tables: final,
            recordsStreamed: Int64(sent), recordsRejected: final.reduce(0) { $0 + $1.rowsRejected },
            markers: markers, seconds: (ContinuousClock.now - started).seconds)
    }

    /// Reads one in-table and hands every record to the producer: one COPY per reader, each over
    /// its share of the rows, at once, all in `snapshot`. The first that fails stops the others.
    private func send(
        _ table: InTable, index: Int, claim: Claim, tag: UInt64, snapshot: SourceSnapshot, progress: StreamProgress,
        control: StreamControl
    ) async throws -> TableProgress {
        let readers = self.readers
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (share, reader) in readers.enumerated() {
                group.addTask {
                    try await self.send(
                        table, share: share, of: readers.count, reader: reader, index: index, claim: claim, tag: tag,
                        snapshot: snapshot, progress: progress, control: control)
                }
            }
            while try await group.next() != nil {}
        }
        return progress.snapshot[index]
    }

    /// Reads one share of an in-table through COPY and hands every record to the producer.
    private func send(
        _ table: InTable, share: Int, of shares: Int, reader: PostgresClient, index: Int, claim: Claim, tag: UInt64,
        snapshot: SourceSnapshot, progress: StreamProgress, control: StreamControl
    ) async throws {
        let statement = RecordQuery.copyStatement(
            for: table, schema: configuration.source.schema, share: share, of: shares)
        let encoder = RecordMessage.Encoder(
            migrationId: claim.migrationID, operDate: claim.operDate, bo: table.mapping.bo, table: table.name)
        let topic = configuration.kafka.topics.inMigration
        let hasChildren = !table.mapping.children.isEmpty
        let producer = self.producer
        // Set when a sibling share failed (the task group cancels this one): the COPY runs on the
        // reader's thread, which sees no task cancellation.
        let abandoned = StreamControl()
        let (migration, tableName, limit) = (claim.migrationID, table.name, Self.refusedErrorLimit)
        let oversized = try await withTaskCancellationHandler {
            try await reader.withConnection { connection in
                var value: [UInt8] = []
                var key: [UInt8] = []
                var pending = (rows: Int64(0), streamed: Int64(0), children: Int64(0))
                // Records the producer refuses as too large: reported, not streamed; the rest go on.
                var oversized: [RecordError] = []
                func flush() {
                    let batch = pending
                    progress.update(index) {
                        $0.rowsRead += batch.rows
                        $0.rowsStreamed += batch.streamed
                        $0.rowsRejected += batch.rows - batch.streamed
                        $0.childRows += batch.children
                    }
                    pending = (0, 0, 0)
                }
                // What was sent counts, however the COPY ends.
                defer { flush() }
                _ = try snapshot.read(on: connection) { connection in
                    try connection.copyOut(statement) { row in
                        guard let json = row[1] else { return }
                        encoder.encode(
                            externalId: row[0], uniqueKey: row[4], row: json, children: hasChildren ? row[2] : nil,
                            value: &value, key: &key)
                        pending.rows += 1
                        do {
                            try producer.send(topic: topic, key: key.isEmpty ? nil : key, value: value, tag: tag)
                        } catch let error as KafkaError where error.code == KafkaError.Codes.messageSizeTooLarge {
                            if oversized.count < limit {
                                oversized.append(
                                    RecordError(
                                        migrationID: migration, stage: .stream, table: tableName,
                                        externalID: row[0].map { String(decoding: $0, as: UTF8.self) }, field: nil,
                                        reason: "the message has \(value.count) bytes, more than the producer takes (librdkafka's message.max.bytes, kafka.producer): \(error.message)"))
                            }
                            return
                        }
                        pending.streamed += 1
                        if hasChildren, let count = row[3] { pending.children += Int64(Self.decimal(count)) }
                        if pending.rows >= 4096 {
                            flush()
                            if let code = control.stopped ?? abandoned.stopped { throw StreamStopped(code: code) }
                        }
                    }
                }
                return oversized
            }
        } onCancel: {
            abandoned.stop(.cancelled)
        }
        guard !oversized.isEmpty else { return }
        try await journal.recordErrors(oversized)
        logger.error(
            "records too large for the producer were not streamed",
            metadata: ["table": "\(table.name)", "records": "\(oversized.count)"])
    }

    /// A refused BO (Company): its records are never streamed; each is reported in the journal.
    private func refuse(
        _ table: InTable, index: Int, claim: Claim, snapshot: SourceSnapshot, progress: StreamProgress,
        control: StreamControl
    ) async throws -> TableProgress {
        let statement = RecordQuery.externalIds(for: table, schema: configuration.source.schema)
        let limit = Self.refusedErrorLimit
        let (count, externalIds) = try await readers[0].withConnection { connection in
            var externalIds: [String?] = []
            let count = try snapshot.read(on: connection) { connection in
                try connection.copyOut(statement) { row in
                    if externalIds.count < limit { externalIds.append(row[0].map { String(decoding: $0, as: UTF8.self) }) }
                }
            }
            return (Int64(count), externalIds)
        }
        let reason = "BO \(table.mapping.bo) is not migrated through in-migration (refused by mapping.refusedBOs)"
        var errors = externalIds.map {
            RecordError(
                migrationID: claim.migrationID, stage: .stream, table: table.name, externalID: $0, field: nil,
                reason: reason)
        }
        if count > Int64(limit) {
            errors.append(
                RecordError(
                    migrationID: claim.migrationID, stage: .stream, table: table.name, externalID: nil, field: nil,
                    reason: "\(count - Int64(limit)) more records refused: \(reason)"))
        }
        try await journal.recordErrors(errors)
        progress.update(index) {
            $0.rowsRead = count
            $0.rowsRejected = count
        }
        logger.warning(
            "in-table refused", metadata: ["table": "\(table.name)", "bo": "\(table.mapping.bo)", "records": "\(count)"])
        return progress.snapshot[index]
    }

    /// Refused records listed one by one in the journal; beyond this, one summary error.
    static let refusedErrorLimit = 10_000

    static func decimal(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
    }

    /// The stop that was asked for (a shutdown, a lost lease), if one was: it explains whatever
    /// failed after it — a delivery wait cut short, a COPY ended early, a statement refused to a
    /// cancelled task — so that a shutdown releases the claim instead of failing the day.
    static func stopCode(_ error: any Error, control: StreamControl) -> StarterError.Code? {
        let shutdown: StarterError.Code? = error is CancellationError || Task.isCancelled ? .cancelled : nil
        return (error as? StreamStopped)?.code ?? control.stopped ?? shutdown
    }

    /// The error a failed migration is recorded and reported with. A lost claim says why, as
    /// far as its row tells (``LostClaim``): a takeover, or a verdict another part of the service
    /// gave the day.
    /// - Parameter stop: ``stopCode(_:control:)`` of the failure.
    static func starterError(
        _ error: any Error, stop: StarterError.Code?, claim: Claim, control: StreamControl, handshake: HandshakeTable
    ) async -> StarterError {
        let id = claim.migrationID
        switch stop {
        case .leaseLost?:
            let moment = control.stopped == .leaseLost ? "while it streamed" : "before the done-signal"
            let why: String
            do {
                why = try await handshake.whyLost(claim)?.description ?? "the row was changed and then given back"
            } catch {
                why = "the row could not be read to tell why (\(error))"
            }
            return StarterError(
                .leaseLost, migrationID: id,
                message: "the claim on process_tracking row \(claim.trackingID) was lost \(moment): \(why)")
        case let code?:
            return StarterError(
                code, migrationID: id, message: "stopped because the service is shutting down; the claim was released")
        case nil:
            if let error = error as? StarterError { return error }
            if let error = error as? KafkaError {
                return StarterError(.deliveryFailed, migrationID: id, message: "producer: \(error)")
            }
            return StarterError(.sourceFailed, migrationID: id, message: "\(error)")
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
