import Foundation
import Kafka
import Monitor
import Testing

/// The verdicts, from readings made up for each rule: no broker needed.
@Suite("Lag evaluation")
struct LagEvaluatorTests {
    let evaluator = LagEvaluator(stalledAfter: .seconds(60))
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func sample(_ seconds: Double, _ partitions: [(logStart: Int64, end: Int64, committed: Int64?)]) -> LagSample {
        LagSample(
            at: start.addingTimeInterval(seconds),
            offsets: partitions.enumerated().map { index, entry in
                PartitionOffsets(partition: Int32(index), logStart: entry.logStart, end: entry.end, committed: entry.committed)
            })
    }

    func evaluate(_ samples: [LagSample]) -> GroupLag {
        evaluator.evaluate(group: "in_migration", topic: "IN_MIGRATION", samples: samples)
    }

    @Test func lagIsEndMinusCommittedAndAGroupWithoutCommitCountsItsWholeLog() {
        let lag = evaluate([sample(0, [(0, 100, 40), (20, 50, nil), (0, 0, nil)])])
        #expect(lag.partitions.map(\.lag) == [60, 30, 0])
        #expect(lag.lag == 90)
        #expect(lag.status == .ok)
        #expect(lag.reason == "lag 90, moving")
        #expect(lag.history.map(\.lag) == [[60, 30, 0]])
    }

    @Test func caughtUpIsOK() {
        let lag = evaluate([sample(0, [(0, 10, 10), (0, 0, nil)])])
        #expect(lag.status == .ok)
        #expect(lag.lag == 0)
        #expect(lag.reason == "caught up")
    }

    @Test func committedBelowTheLogStartIsDataLossWithTheRange() throws {
        let lag = evaluate([sample(0, [(0, 10, 10), (500, 900, 120)])])
        #expect(lag.status == .dataLoss)
        let partition = lag.partitions[1]
        #expect(partition.status == .dataLoss)
        #expect(partition.lost == PartitionLag.LostRange(from: 120, to: 500))
        #expect(partition.lag == 780)
        #expect(partition.reason?.contains("offsets 120..<500 of IN_MIGRATION[1]") == true)
        #expect(partition.reason?.contains("380 messages lost") == true)
        #expect(lag.reason.hasPrefix("partition 1: "))
    }

    @Test func committedBeyondTheEndIsAnError() {
        let lag = evaluate([sample(0, [(0, 10, 25)])])
        #expect(lag.status == .error)
        #expect(lag.partitions[0].reason?.contains("beyond the log end 10") == true)
    }

    @Test func aStorePositionBeyondTheEndMeansTheTopicWasRecreated() {
        let lag = evaluator.evaluate(
            group: "in_migration", topic: "IN_MIGRATION", samples: [sample(0, [(0, 10, nil), (0, 50, 50)])],
            storedPositions: [0: 4_000, 1: 50])
        #expect(lag.status == .error)
        #expect(lag.partitions.map(\.status) == [.error, .ok])
        #expect(lag.partitions[0].reason?.contains("the store's position 4000 of IN_MIGRATION[0] is beyond the log end 10") == true)
    }

    @Test func lagThatSitsStillWithNoCommitAnywhereIsStopped() {
        let readings = [(Int64(0), Int64(100), Int64?(40)), (0, 80, 80)]
        let samples = stride(from: 0.0, through: 70, by: 10).map { sample($0, readings) }
        let lag = evaluate(samples)
        #expect(lag.status == .stopped)
        #expect(lag.partitions[0].status == .stopped)
        #expect(lag.partitions[0].reason?.contains("no commit for 70 s while the lag is 60") == true)
        #expect(lag.partitions[1].status == .ok)
    }

    @Test func notStoppedBeforeTheWindowHasPassed() {
        let samples = stride(from: 0.0, through: 50, by: 10).map { sample($0, [(0, 100, 40)]) }
        #expect(evaluate(samples).status == .ok)
    }

    @Test func onePartitionStuckWhileTheOthersMoveIsStalled() {
        let samples = stride(from: 0.0, through: 70, by: 10).map { second in
            sample(second, [(0, 100, 40), (0, 1_000, Int64(second) * 10)])
        }
        let lag = evaluate(samples)
        #expect(lag.status == .stalled)
        #expect(lag.partitions[0].status == .stalled)
        #expect(lag.partitions[0].reason?.contains("unchanged for 70 s with lag 60") == true)
        #expect(lag.partitions[1].status == .ok)
    }

    @Test func aPartitionThatCaughtUpAndGotNewMessagesOnlyCountsFromThen() {
        // Caught up until 50 s, then new messages arrive: 20 s of lag is not a stall.
        var samples = stride(from: 0.0, through: 50, by: 10).map { sample($0, [(0, 40, 40)]) }
        samples += [sample(60, [(0, 100, 40)]), sample(70, [(0, 100, 40)])]
        #expect(evaluate(samples).status == .ok)
    }

    @Test func aFailedCheckIsAnErrorNamingWhy() {
        let lag = evaluate([sample(0, [(0, 10, 5)]), LagSample(at: start.addingTimeInterval(10), failure: "broker down")])
        #expect(lag.status == .error)
        #expect(lag.reason.contains("broker down"))
        #expect(lag.lag == 5)
        #expect(lag.history.count == 1)
    }

    @Test func theReportTakesTheWorstGroup() {
        let ok = evaluate([sample(0, [(0, 10, 10)])])
        let lost = evaluate([sample(0, [(5, 10, 0)])])
        #expect(LagReport(checkedAt: start, groups: [ok, lost]).status == .dataLoss)
        #expect(LagReport(checkedAt: start, groups: [ok]).status == .ok)
    }
}
