import Config
import Foundation
import Kafka
import Logging
import Synchronization

/// Checks the lag of the consumer group on `IN_MIGRATION` and of the downstream groups on `BOI`,
/// keeps the recent checks, and judges each group over them.
///
/// One non-member consumer handle per watched group reads the group's committed offsets; end
/// offsets are asked from the partition leaders at every check. All of it blocks, so it runs on a
/// thread of its own.
public final class LagWatcher: Sendable {
    /// A group on a topic, and the handle that reads its offsets.
    struct Watched: Sendable {
        var group: String
        var topic: String
        var reader: KafkaConsumer
    }

    private let watched: [Watched]
    private let evaluator: LagEvaluator
    private let histories: Mutex<[LagHistory]>
    private let latest = Mutex<LagReport?>(nil)
    private let executor = BlockingExecutor(label: "inmigration.monitor.lag")
    private let timeout: Duration
    private let logger: Logger

    /// - Throws: ``KafkaError`` when a reader cannot be created (bad properties).
    public init(configuration: InMigrationConfiguration, logger: Logger) throws {
        let bootstrap = try configuration.resolvedBootstrapServers()
        var targets = [(configuration.kafka.group, configuration.kafka.topics.inMigration)]
        targets += configuration.monitor.downstreamGroups.map { ($0, configuration.kafka.topics.boi) }
        watched = try targets.map { group, topic in
            var properties = configuration.kafka.consumer
            properties["bootstrap.servers"] = bootstrap
            properties["group.id"] = group
            properties["client.id"] = "inmigration-lag-watch"
            return Watched(group: group, topic: topic, reader: try KafkaConsumer(properties: properties, logger: logger))
        }
        evaluator = LagEvaluator(stalledAfter: configuration.monitor.stalledAfter.duration)
        histories = Mutex(targets.map { _ in LagHistory(keep: configuration.monitor.history.duration) })
        timeout = max(configuration.monitor.interval.duration * 5, .seconds(10))
        self.logger = logger
    }

    /// The group on `IN_MIGRATION` is the first one watched.
    public var primaryGroup: (group: String, topic: String) { (watched[0].group, watched[0].topic) }

    /// Reads every watched group's offsets now, adds the readings to the history and judges them.
    /// - Parameter storedPositions: the consumer store's positions of the group on `IN_MIGRATION`.
    public func check(storedPositions: [Int32: Int64] = [:]) async -> LagReport {
        var samples: [LagSample] = []
        for target in watched {
            let reader = target.reader
            let topic = target.topic
            let timeout = self.timeout
            do {
                let offsets = try await executor.run { try reader.groupOffsets(topic: topic, timeout: timeout) }
                samples.append(LagSample(at: Date(), offsets: offsets))
            } catch {
                samples.append(LagSample(at: Date(), failure: "\(error)"))
            }
        }
        let evaluator = self.evaluator
        let watched = self.watched
        let groups = histories.withLock { histories in
            zip(watched.indices, samples).map { index, sample in
                histories[index].append(sample)
                return evaluator.evaluate(
                    group: watched[index].group, topic: watched[index].topic, samples: histories[index].samples,
                    storedPositions: index == 0 ? storedPositions : [:])
            }
        }
        let report = LagReport(checkedAt: samples.last?.at ?? Date(), groups: groups)
        let previous = latest.withLock { latest in
            defer { latest = report }
            return latest
        }
        logChanges(from: previous, to: report)
        return report
    }

    /// Whether the broker answers a metadata request within `timeout`; the error when it does not.
    public func brokerProblem(timeout: Duration = .seconds(3)) async -> String? {
        let reader = watched[0].reader
        let topic = watched[0].topic
        do {
            _ = try await executor.run { try reader.partitionCount(topic: topic, timeout: timeout) }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The last report, `nil` before the first check.
    public var lastReport: LagReport? { latest.withLock { $0 } }

    /// Closes the readers.
    public func close() async {
        let watched = self.watched
        _ = try? await executor.run { for target in watched { target.reader.close() } }
    }

    /// Logs a group's status when it changes, at a level that matches it.
    private func logChanges(from previous: LagReport?, to report: LagReport) {
        for group in report.groups {
            let before = previous?.group(group.group, topic: group.topic)?.status
            guard before != group.status else { continue }
            let metadata: Logger.Metadata = [
                "group": "\(group.group)", "topic": "\(group.topic)", "status": "\(group.status.rawValue)",
                "lag": "\(group.lag)", "reason": "\(group.reason)",
            ]
            switch group.status {
            case .ok: logger.info("consumer group lag is OK", metadata: metadata)
            case .stalled, .stopped: logger.warning("consumer group lag is not moving", metadata: metadata)
            case .error, .dataLoss: logger.error("consumer group lag cannot be trusted", metadata: metadata)
            }
        }
    }
}
