import Config
import Foundation
import Domain
import Handshake
import Kafka
import Logging

extension Starter {
    /// Waits until every message of a tag has a delivery report; any failure fails the migration.
    /// A stop (a lost lease, a shutdown) ends the wait at once: with the broker down, the wait
    /// would otherwise last the whole delivery timeout, minutes in which the migration is
    /// already lost.
    /// - Throws: ``StreamStopped`` when `control` stops the migration.
    func awaitDelivery(
        tag: UInt64, expected: Int, timeout: Duration, id: MigrationID, what: String, control: StreamControl
    ) async throws {
        let tally = await producer.awaitDelivery(tag: tag, expected: expected, timeout: timeout) {
            control.stopped != nil
        }
        if let code = control.stopped { throw StreamStopped(code: code) }
        if tally.failed > 0 {
            throw StarterError(
                .deliveryFailed, migrationID: id,
                message:
                    "\(tally.failed) of \(expected) \(what) were not acknowledged by the broker: \(tally.firstError.map { "\($0)" } ?? "unknown error")"
            )
        }
        if tally.acknowledged < expected {
            throw StarterError(
                .deliveryTimedOut, migrationID: id,
                message: "only \(tally.acknowledged) of \(expected) \(what) were acknowledged within \(timeout)")
        }
    }

    /// Sends one `KafkaInMigrationRefChecker` marker to every partition of IN_MIGRATION, after all
    /// records were acknowledged, and waits for their acknowledgement.
    /// - Returns: the number of markers.
    func sendMarkers(_ claim: Claim, records: Int64, timeout: Duration, control: StreamControl) async throws -> Int32 {
        let topic = configuration.kafka.topics.inMigration
        let producer = self.producer
        // A metadata request blocks its thread up to `timeout` (minutes, with a broker down): not
        // one of the cooperative pool's.
        let partitions = try await Self.metadataExecutor.run {
            try producer.partitionCount(topic: topic, timeout: timeout)
        }
        let tag = Self.makeTag()
        defer { producer.forget(tag: tag) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for partition in 0..<partitions {
            let marker = RefCheckMarker(
                migrationId: claim.migrationID, operDate: claim.operDate, partition: partition, partitions: partitions,
                records: records)
            try producer.send(topic: topic, partition: partition, key: nil, value: Array(try encoder.encode(marker)), tag: tag)
        }
        try await awaitDelivery(
            tag: tag, expected: Int(partitions), timeout: timeout, id: claim.migrationID, what: "markers", control: control)
        return partitions
    }

    /// Where the markers' metadata requests run, one at a time: one short request per stream.
    static let metadataExecutor = BlockingExecutor(label: "inmigration.starter.metadata")
}
