import Journal
import Synchronization

/// The counters of a running stream, shared between the reading thread, the journal writer and
/// the progress display.
final class StreamProgress: Sendable {
    private let state: Mutex<[TableProgress]>

    init(tables: [String]) {
        state = Mutex(tables.map { TableProgress(table: $0) })
    }

    func update(_ index: Int, _ change: @Sendable (inout TableProgress) -> Void) {
        state.withLock { change(&$0[index]) }
    }

    var snapshot: [TableProgress] { state.withLock { $0 } }
}

/// Stops a stream from outside the thread that reads it.
final class StreamControl: Sendable {
    private let stopReason = Mutex<StarterError.Code?>(nil)

    func stop(_ code: StarterError.Code) {
        stopReason.withLock { current in
            if current == nil { current = code }
        }
    }

    var stopped: StarterError.Code? { stopReason.withLock { $0 } }
}

/// Thrown inside the reading loop to end a COPY early.
struct StreamStopped: Error {
    var code: StarterError.Code
}
