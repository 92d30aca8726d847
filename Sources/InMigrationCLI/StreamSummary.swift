import Foundation
import Journal
import Starter

/// The human-readable summary of a stream, as `run` and `demo` print it.
enum StreamSummary {
    static func text(_ report: StreamReport) -> String {
        var lines = [
            "migration \(report.migrationID) (oper_date \(report.operDate), process_tracking.id \(report.trackingID))"
        ]
        lines.append(
            "  " + "table".padding(toLength: 24, withPad: " ", startingAt: 0)
                + "    total   streamed   children   rejected")
        for table in report.tables {
            lines.append(
                "  " + table.table.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + pad(table.rowsTotal ?? 0, 9) + pad(table.rowsStreamed, 11) + pad(table.childRows, 11)
                    + pad(table.rowsRejected, 11))
        }
        lines.append(
            "  \(report.recordsStreamed) records acknowledged, \(report.recordsRejected) refused, "
                + "\(report.markers) ref-check markers, \(String(format: "%.2f", report.seconds)) s, "
                + "\(Int(report.recordsPerSecond)) records/s")
        return lines.joined(separator: "\n")
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(width - text.count, 0)) + text
    }
}
