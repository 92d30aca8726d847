import Foundation
import Synchronization

/// Guards the lifetime of a C handle that several threads use while one of
/// them may close it.
///
/// Every use of the handle is bracketed by `enter()`/`leave()`; `close()`
/// stops new uses and then waits until the running ones have left, so the
/// handle is never destroyed under a thread that is still inside a C call.
/// Uses are short C calls (or blocking calls bounded by a caller's timeout),
/// so closing waits for at most that long.
final class HandleGate: Sendable {
    private enum Phase {
        case open
        case closing
        case closed
    }

    private struct State {
        var phase: Phase = .open
        var users = 0
    }

    private let state = Mutex(State())

    /// Registers a user; false once closing has begun.
    func enter() -> Bool {
        state.withLock { state in
            guard state.phase == .open else { return false }
            state.users += 1
            return true
        }
    }

    /// Ends a use started by a successful `enter()`.
    func leave() {
        state.withLock { $0.users -= 1 }
    }

    /// True once `beginClose()` was called.
    var isClosing: Bool {
        state.withLock { $0.phase != .open }
    }

    /// True once the handle has been destroyed.
    var isClosed: Bool {
        state.withLock { $0.phase == .closed }
    }

    /// Refuses new users and waits for the current ones to leave.
    /// - Parameter interrupt: called once new users are refused, before
    ///   waiting, to cut short blocking calls of the current users.
    /// - Returns: true for the one caller that must now destroy the handle
    ///   and then call `finishClose()`; false when someone else already is.
    func beginClose(interrupt: () -> Void = {}) -> Bool {
        let first = state.withLock { state in
            guard state.phase == .open else { return false }
            state.phase = .closing
            return true
        }
        guard first else { return false }
        interrupt()
        while state.withLock({ $0.users }) > 0 {
            Thread.sleep(forTimeInterval: 0.001)
        }
        return true
    }

    /// Marks the handle destroyed.
    func finishClose() {
        state.withLock { $0.phase = .closed }
    }

    /// Runs `body` as a registered user.
    /// - Throws: `KafkaError.closed` when closing has begun, or what `body` throws.
    func use<T>(_ body: () throws -> T) throws -> T {
        guard enter() else { throw KafkaError.closed }
        defer { leave() }
        return try body()
    }
}
