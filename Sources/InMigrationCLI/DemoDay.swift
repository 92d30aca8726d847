import Domain
import Foundation
import Handshake
import Monitor
import Starter
import Store

/// What one day of the demo did, stage by stage.
struct DemoDay {
    var day: OperDate
    var stream: StreamReport
    var consume: ConsumeReport
    /// The day's `process_tracking` row after the consumer caught up.
    var tracking: TrackingRow?

    var text: String {
        let total = consume.total
        return """
            day \(day) — migration \(stream.migrationID)
              streamed \(stream.recordsStreamed) records to IN_MIGRATION (\(stream.recordsRejected) refused) with \(stream.markers) reference-check markers
              consumed \(total.records): created \(total.created), updated \(total.updated), unchanged \(total.unchanged), merged \(total.merged), removed \(total.removed), skipped \(total.skipped), rejected \(total.rejected)
              references parked \(total.refsParked), resolved \(total.refsResolved), dangling \(consume.danglingCount ?? 0); \(total.boiEvents) BOI events
              safe to clear the in-tables since \(tracking?.safeToClearAt ?? "— (not complete)")
            """
    }

    /// The demo's last line: one JSON object with the counts of both days.
    /// - Parameter lag: the last check; its total on `IN_MIGRATION` is the summary's `lag`.
    static func summaryJSON(_ days: [DemoDay], eventsOnTopic: Int, lag: LagReport) throws -> String {
        struct Summary: Encodable {
            var records: Int64 = 0
            var streamed: Int64 = 0
            var created: Int64 = 0
            var updated: Int64 = 0
            var unchanged: Int64 = 0
            var merged: Int64 = 0
            var removed: Int64 = 0
            var skipped: Int64 = 0
            var rejected: Int64 = 0
            var refs_parked: Int64 = 0
            var refs_resolved: Int64 = 0
            var refs_dangling: Int = 0
            var boi_events: Int64 = 0
            var boi_events_on_topic: Int = 0
            var days: Int = 0
            var lag: Int64 = 0
            var lag_status = ""
            var safe_to_clear_at: String?
        }
        let total = days.map(\.consume.total).reduce(ConsumeStats(), +)
        let streamRejected = days.reduce(0) { $0 + $1.stream.recordsRejected }
        var summary = Summary()
        summary.streamed = days.reduce(0) { $0 + $1.stream.recordsStreamed }
        summary.records = summary.streamed + streamRejected
        summary.created = total.created
        summary.updated = total.updated
        summary.unchanged = total.unchanged
        summary.merged = total.merged
        summary.removed = total.removed
        summary.skipped = total.skipped
        summary.rejected = total.rejected + streamRejected
        summary.refs_parked = total.refsParked
        summary.refs_resolved = total.refsResolved
        summary.boi_events = total.boiEvents
        summary.refs_dangling = Int(days.last?.consume.danglingCount ?? 0)
        summary.boi_events_on_topic = eventsOnTopic
        summary.days = days.count
        summary.lag = lag.groups.first?.lag ?? -1
        summary.lag_status = lag.groups.first?.status.rawValue ?? "ERROR"
        summary.safe_to_clear_at = days.last?.tracking?.safeToClearAt
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }
}
