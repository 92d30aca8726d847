import Foundation
import Kafka

/// Judges a group's lag from its recent checks, not from one subtraction.
///
/// End offsets in the samples are fresh (ListOffsets at every check), so a consumer that died
/// after its last commit shows its true, growing lag instead of the small one it committed with —
/// the blind spot of evaluators that judge from the consumer's own commits. The rules:
/// - a committed offset below the log start is DATA_LOSS: retention removed messages the group
///   never read;
/// - a committed offset beyond the log end is ERROR (the topic was recreated under the group);
/// - lag 0, or a committed offset that moved within `stalledAfter`, is OK;
/// - a partition whose lag sat there for `stalledAfter` with its committed offset unchanged is
///   STALLED while the group commits elsewhere, and the whole group is STOPPED when nothing it
///   owns moved for that long.
public struct LagEvaluator: Sendable {
    public var stalledAfter: Duration

    public init(stalledAfter: Duration) {
        self.stalledAfter = stalledAfter
    }

    /// - Parameters:
    ///   - samples: the checks of `group` on `topic`, oldest first; the last is judged.
    ///   - storedPositions: where the consumer's store says each partition stands (for the group
    ///     on `IN_MIGRATION`); a position beyond the log end means the topic was recreated and
    ///     the consumer would take its first messages for ones it applied already.
    public func evaluate(
        group: String, topic: String, samples: [LagSample], storedPositions: [Int32: Int64] = [:]
    ) -> GroupLag {
        let history = samples.compactMap { sample in
            sample.offsets.map { GroupLag.HistoryPoint(at: sample.at, lag: $0.map(\.lag)) }
        }
        guard let current = samples.last else {
            return GroupLag(
                group: group, topic: topic, status: .error, reason: "not checked yet", lag: 0, partitions: [],
                history: [])
        }
        switch current.result {
        case .failure(let failure):
            return GroupLag(
                group: group, topic: topic, status: .error,
                reason: "the offsets of group \(group) on \(topic) could not be read: \(failure.message)",
                lag: history.last.map { $0.lag.reduce(0, +) } ?? 0, partitions: [], history: history)
        case .success(let offsets):
            var partitions = offsets.map {
                judge($0, group: group, topic: topic, stored: storedPositions[$0.partition])
            }
            markStuck(&partitions, samples: samples, now: current.at, group: group)
            let lag = partitions.reduce(0) { $0 + $1.lag }
            let status = partitions.map(\.status).max() ?? .ok
            return GroupLag(
                group: group, topic: topic, status: status,
                reason: reason(status, partitions: partitions, lag: lag), lag: lag, partitions: partitions,
                history: history)
        }
    }

    /// What one reading says on its own.
    private func judge(_ offsets: PartitionOffsets, group: String, topic: String, stored: Int64?) -> PartitionLag {
        var lag = PartitionLag(
            partition: offsets.partition, logStart: offsets.logStart, end: offsets.end, committed: offsets.committed,
            lag: offsets.lag, status: .ok, reason: nil, lost: nil)
        if let committed = offsets.committed, committed < offsets.logStart {
            lag.lag = offsets.end - committed
            lag.status = .dataLoss
            lag.lost = .init(from: committed, to: offsets.logStart)
            lag.reason =
                "offsets \(committed)..<\(offsets.logStart) of \(topic)[\(offsets.partition)] were removed by "
                + "retention before group \(group) consumed them: \(offsets.logStart - committed) messages lost"
        } else if let committed = offsets.committed, committed > offsets.end {
            lag.status = .error
            lag.reason =
                "committed offset \(committed) of \(topic)[\(offsets.partition)] is beyond the log end "
                + "\(offsets.end): was the topic recreated?"
        } else if let stored, stored > offsets.end {
            lag.status = .error
            lag.reason =
                "the store's position \(stored) of \(topic)[\(offsets.partition)] is beyond the log end "
                + "\(offsets.end): the topic was recreated, and its messages below \(stored) would be taken for "
                + "ones already applied; clear the group's positions (README: recreated topics)"
        }
        return lag
    }

    /// Partitions with lag whose committed offset did not move for `stalledAfter`.
    private func markStuck(_ partitions: inout [PartitionLag], samples: [LagSample], now: Date, group: String) {
        var stuck: [(index: Int, since: Duration)] = []
        for (index, partition) in partitions.enumerated() where partition.status == .ok && partition.lag > 0 {
            if let since = stuckDuration(partition, samples: samples, now: now), since >= stalledAfter {
                stuck.append((index, since))
            }
        }
        guard !stuck.isEmpty else { return }
        let groupMoved = partitions.contains { partition in
            movedWithin(partition, samples: samples, now: now)
        }
        for (index, since) in stuck {
            let partition = partitions[index]
            let offset = partition.committed.map(String.init) ?? "none"
            if groupMoved {
                partitions[index].status = .stalled
                partitions[index].reason =
                    "committed offset \(offset) unchanged for \(since.wholeSeconds) s with lag \(partition.lag), "
                    + "while group \(group) commits on other partitions"
            } else {
                partitions[index].status = .stopped
                partitions[index].reason =
                    "no commit for \(since.wholeSeconds) s while the lag is \(partition.lag): is a consumer of "
                    + "group \(group) running?"
            }
        }
    }

    /// How long the partition has had lag with the same committed offset, by the samples (checks
    /// that failed do not count either way); `nil` when the samples do not reach back that far.
    private func stuckDuration(_ partition: PartitionLag, samples: [LagSample], now: Date) -> Duration? {
        var earliest: Date?
        for sample in samples.reversed() {
            guard let offsets = sample.offsets else { continue }
            guard let reading = offsets.first(where: { $0.partition == partition.partition }),
                reading.committed == partition.committed, reading.lag > 0
            else { break }
            earliest = sample.at
        }
        return earliest.map { .seconds(now.timeIntervalSince($0)) }
    }

    /// Whether the partition's committed offset differs from any reading in the last `stalledAfter`.
    private func movedWithin(_ partition: PartitionLag, samples: [LagSample], now: Date) -> Bool {
        let horizon = now.addingTimeInterval(-stalledAfter.seconds)
        return samples.contains { sample in
            guard sample.at >= horizon, let offsets = sample.offsets,
                let reading = offsets.first(where: { $0.partition == partition.partition })
            else { return false }
            return reading.committed != partition.committed
        }
    }

    private func reason(_ status: LagStatus, partitions: [PartitionLag], lag: Int64) -> String {
        guard status != .ok else { return lag == 0 ? "caught up" : "lag \(lag), moving" }
        let affected = partitions.filter { $0.status == status }
        let first = affected[0]
        let prefix = affected.count == 1 ? "partition \(first.partition)" : "\(affected.count) partitions, e.g. \(first.partition)"
        return "\(prefix): \(first.reason ?? status.rawValue)"
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var wholeSeconds: Int64 { components.seconds }
}
