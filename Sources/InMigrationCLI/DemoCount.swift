import Domain
import Foundation
import Journal
import Kafka
import Starter

/// Counts what a migration actually put on IN_MIGRATION, to check it against what the starter
/// reported.
struct DemoCount {
    var records = 0
    var markers = 0
    var perTable: [String: Int] = [:]

    static func count(_ messages: [KafkaMessage], migration: MigrationID) -> DemoCount {
        var count = DemoCount()
        let decoder = JSONDecoder()
        for message in messages {
            switch try? decoder.decode(InMigrationMessage.self, from: Data(message.value)) {
            case .record(let record) where record.migrationId == migration:
                count.records += 1
                count.perTable[record.table, default: 0] += 1
            case .refCheck(let marker) where marker.migrationId == migration:
                count.markers += 1
            default:
                break
            }
        }
        return count
    }

    /// The demo's last line: one JSON object with the counts.
    static func summaryJSON(report: StreamReport, onTopic: DemoCount) throws -> String {
        struct Summary: Encodable {
            var migration_id: String
            var oper_date: String
            var records: Int64
            var streamed: [String: Int64]
            var rejected: Int64
            var markers: Int32
            var on_topic: Int
            var seconds: Double
        }
        let summary = Summary(
            migration_id: report.migrationID.rawValue, oper_date: report.operDate.rawValue,
            records: report.recordsStreamed,
            streamed: Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0.rowsStreamed) }),
            rejected: report.recordsRejected, markers: report.markers, on_topic: onTopic.records,
            seconds: (report.seconds * 1000).rounded() / 1000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }
}
