import Foundation
import Journal
import Synchronization

/// One line per in-table on stderr, redrawn in place — only when stderr is a terminal, so logs
/// and CI output stay clean.
final class ProgressBar: Sendable {
    private let lastLines = Mutex<Int>(0)
    let enabled = isatty(STDERR_FILENO) == 1

    func draw(_ tables: [TableProgress]) {
        guard enabled else { return }
        var text = ""
        lastLines.withLock { lines in
            if lines > 0 { text += "\u{1B}[\(lines)A" }
            lines = tables.count
        }
        for table in tables {
            text += "\u{1B}[2K" + Self.line(table) + "\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func line(_ table: TableProgress) -> String {
        let total = max(table.rowsTotal ?? 0, 1)
        let done = table.rowsRead
        let fraction = min(Double(done) / Double(total), 1)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let name = table.table.padding(toLength: 24, withPad: " ", startingAt: 0)
        return "\(name) [\(bar)] \(String(format: "%3.0f", fraction * 100))% \(done)/\(table.rowsTotal ?? 0)"
    }
}
