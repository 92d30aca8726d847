import Config
import Foundation
import IntegrationSupport
import Kafka
import Logging
import Monitor
import Testing

/// The lag as the watcher reads it from a real broker (the mock cluster over TCP): fresh end
/// offsets, the group's commits, and the verdicts over time.
@Suite("Lag watch against the broker", .serialized)
struct LagWatchTests {
    func withWatcher(
        partitions: Int32 = 2, adjust: (inout InMigrationConfiguration) -> Void = { _ in },
        _ body: (LagWatcher, GroupDriver, InMigrationConfiguration) async throws -> Void
    ) async throws {
        let broker = try EmbeddedBroker(partitions: partitions)
        defer { broker.close() }
        let configuration = try TestConfiguration.make(
            databaseURL: "postgresql://unused", bootstrapServers: broker.bootstrapServers, adjust: adjust)
        let driver = GroupDriver(bootstrapServers: broker.bootstrapServers)
        let watcher = try LagWatcher(configuration: configuration, logger: driver.logger)
        do {
            try await body(watcher, driver, configuration)
        } catch {
            await watcher.close()
            throw error
        }
        await watcher.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func emptyGroupMidRunAndDrained() async throws {
        try await withWatcher(adjust: { $0.monitor.downstreamGroups = ["search-indexer"] }) { watcher, driver, configuration in
            let topic = configuration.kafka.topics.inMigration
            let group = configuration.kafka.group
            // Nothing produced, nothing committed.
            var report = await watcher.check()
            #expect(report.groups.map(\.group) == [group, "search-indexer"])
            #expect(report.group(group, topic: topic)?.lag == 0)
            #expect(report.group("search-indexer", topic: configuration.kafka.topics.boi)?.status == .ok)

            try await driver.produce(topic: topic, partition: 0, count: 30)
            try await driver.produce(topic: topic, partition: 1, count: 20)
            // No commit yet: the whole log counts.
            report = await watcher.check()
            var lag = try #require(report.group(group, topic: topic))
            #expect(lag.partitions.map(\.lag) == [30, 20])
            #expect(lag.partitions.map(\.committed) == [nil, nil])
            #expect(lag.partitions.map(\.end) == [30, 20])
            #expect(lag.lag == 50)

            try driver.commit(group: group, topic: topic, [0: 10, 1: 20])
            report = await watcher.check()
            lag = try #require(report.group(group, topic: topic))
            #expect(lag.partitions.map(\.lag) == [20, 0])
            #expect(lag.partitions.map(\.committed) == [10, 20])
            #expect(lag.status == .ok)

            try driver.commit(group: group, topic: topic, [0: 30])
            report = await watcher.check()
            lag = try #require(report.group(group, topic: topic))
            #expect(lag.lag == 0)
            #expect(lag.reason == "caught up")
            #expect(lag.history.map { $0.lag.reduce(0, +) } == [0, 50, 20, 0])
            #expect(watcher.lastReport == report)
        }
    }

    /// The window is seconds long: a check under load (CI building beside it) took long enough
    /// that partition 1's last commit fell out of a window of 800 ms, and the group read STOPPED.
    @Test(.timeLimit(.minutes(1)))
    func stoppedWhenNothingCommitsAndStalledWhenOnePartitionIsLeftBehind() async throws {
        try await withWatcher(adjust: {
            $0.monitor.interval = .milliseconds(100)
            $0.monitor.stalledAfter = .seconds(3)
        }) { watcher, driver, configuration in
            let topic = configuration.kafka.topics.inMigration
            let group = configuration.kafka.group
            try await driver.produce(topic: topic, partition: 0, count: 10)
            try await driver.produce(topic: topic, partition: 1, count: 100)
            try driver.commit(group: group, topic: topic, [0: 2, 1: 2])
            // No commit moves: after the window the whole group is STOPPED.
            var lag = try #require(await watcher.check().group(group, topic: topic))
            #expect(lag.status == .ok)
            try await Task.sleep(for: .milliseconds(3_200))
            lag = try #require(await watcher.check().group(group, topic: topic))
            #expect(lag.status == .stopped)
            #expect(lag.partitions.map(\.status) == [.stopped, .stopped])
            #expect(lag.reason.contains("no commit for"))

            // Partition 1 moves on, partition 0 stays: partition 0 is STALLED, and so is the group.
            for offset in stride(from: 10, through: 60, by: 10) {
                try driver.commit(group: group, topic: topic, [1: Int64(offset)])
                lag = try #require(await watcher.check().group(group, topic: topic))
                try await Task.sleep(for: .milliseconds(200))
            }
            lag = try #require(await watcher.check().group(group, topic: topic))
            #expect(lag.status == .stalled)
            #expect(lag.partitions.map(\.status) == [.stalled, .ok])
            #expect(lag.partitions[0].reason?.contains("while group \(group) commits on other partitions") == true)

            // Partition 0 catches up: OK again.
            try driver.commit(group: group, topic: topic, [0: 10])
            lag = try #require(await watcher.check().group(group, topic: topic))
            #expect(lag.status == .ok)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func retentionBeyondTheCommittedOffsetIsDataLoss() async throws {
        try await withWatcher(partitions: 1) { watcher, driver, configuration in
            let topic = configuration.kafka.topics.inMigration
            let group = configuration.kafka.group
            try await driver.produce(topic: topic, partition: 0, count: 10)
            try driver.commit(group: group, topic: topic, [0: 4])
            var lag = try #require(await watcher.check().group(group, topic: topic))
            #expect(lag.status == .ok)
            #expect(lag.partitions[0].logStart == 0)
            // The mock broker keeps 5 MiB per partition: 7 MiB more pushes the log start past 4.
            try await driver.produce(topic: topic, partition: 0, count: 70, size: 100 * 1024)
            lag = try #require(await watcher.check().group(group, topic: topic))
            let partition = lag.partitions[0]
            #expect(partition.logStart > 4)
            #expect(lag.status == .dataLoss)
            #expect(partition.lost == PartitionLag.LostRange(from: 4, to: partition.logStart))
            #expect(partition.lag == partition.end - 4)
            #expect(lag.reason.contains("offsets 4..<\(partition.logStart) of \(topic)[0] were removed by retention"))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableBrokerIsAnErrorWithItsReason() async throws {
        try await withWatcher { watcher, _, _ in
            #expect(await watcher.brokerProblem() == nil)
        }
        let configuration = try TestConfiguration.make(
            databaseURL: "postgresql://unused", bootstrapServers: "127.0.0.1:1",
            adjust: { $0.monitor.interval = .milliseconds(200) })
        let watcher = try LagWatcher(configuration: configuration, logger: GroupDriver(bootstrapServers: "").logger)
        let report = await watcher.check()
        #expect(report.status == .error)
        #expect(report.groups.first?.reason.contains("could not be read") == true)
        #expect(await watcher.brokerProblem(timeout: .milliseconds(500)) != nil)
        await watcher.close()
    }
}
