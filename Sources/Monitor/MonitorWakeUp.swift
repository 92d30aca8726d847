import Synchronization

/// Lets the consumer of the same process ask the monitor for a round now, instead of at its next
/// interval: when the consumer has just caught up, the moment the in-tables are safe to clear is
/// usually this round's to write, and an operator waits for it.
///
/// A ring is remembered until the monitor takes it, and rings in between count once; ringing
/// never blocks, so the consumer's loop can ring whenever it likes.
public final class MonitorWakeUp: Sendable {
    private let rung = Atomic<Bool>(false)
    /// How often a wait looks for a ring: the longest a ring waits to be noticed.
    let check: Duration

    public init(check: Duration = .milliseconds(50)) {
        self.check = check
    }

    public func ring() {
        rung.store(true, ordering: .releasing)
    }

    /// Returns after `interval`, or soon after a ring (at once for one that came before the
    /// call), or when the task is cancelled; takes the ring.
    public func wait(upTo interval: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + interval
        while !rung.exchange(false, ordering: .acquiringAndReleasing) {
            let left = deadline - clock.now
            guard left > .zero, !Task.isCancelled else { return }
            try? await Task.sleep(for: min(check, left))
        }
    }
}
