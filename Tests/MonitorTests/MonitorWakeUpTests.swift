import Monitor
import Testing

/// The consumer in `serve` rings when it has caught up; the monitor's wait between rounds ends
/// then instead of at the interval. The bounds below are minutes apart from what is measured, so
/// that a slow machine cannot make them fail.
@Suite("Monitor: wake-up between rounds", .timeLimit(.minutes(1)))
struct MonitorWakeUpTests {
    @Test func aRingEndsTheWaitLongBeforeTheInterval() async throws {
        let wakeUp = MonitorWakeUp()
        let clock = ContinuousClock()
        let started = clock.now
        let waiting = Task { await wakeUp.wait(upTo: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(100))
        wakeUp.ring()
        await waiting.value
        #expect(clock.now - started < .seconds(30))
    }

    @Test func aRingBeforeTheWaitIsKeptAndRingsInBetweenCountOnce() async {
        let wakeUp = MonitorWakeUp()
        wakeUp.ring()
        wakeUp.ring()
        let clock = ContinuousClock()
        var started = clock.now
        await wakeUp.wait(upTo: .seconds(600))
        #expect(clock.now - started < .seconds(30))
        started = clock.now
        await wakeUp.wait(upTo: .milliseconds(300))
        #expect(clock.now - started >= .milliseconds(300), "the ring was taken by the first wait")
    }

    @Test func withoutARingTheWaitLastsTheInterval() async {
        let wakeUp = MonitorWakeUp()
        let clock = ContinuousClock()
        let started = clock.now
        await wakeUp.wait(upTo: .milliseconds(300))
        #expect(clock.now - started >= .milliseconds(300))
    }

    @Test func aCancelledWaitReturns() async {
        let wakeUp = MonitorWakeUp()
        let clock = ContinuousClock()
        let started = clock.now
        let waiting = Task { await wakeUp.wait(upTo: .seconds(600)) }
        waiting.cancel()
        await waiting.value
        #expect(clock.now - started < .seconds(30))
    }
}
