import ArgumentParser
import Config
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import UnixSignals

/// `inmigration dev-broker`: librdkafka's mock cluster as a stand-alone Kafka-protocol broker on
/// 127.0.0.1 — the embedded default for the demo and the tests. A real Kafka is used simply by
/// pointing the configuration at it.
struct DevBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Run an embedded Kafka-protocol broker (librdkafka's mock cluster) until SIGTERM/SIGINT.")

    @Option(help: "Number of brokers in the cluster.")
    var brokers = 1

    @Option(help: "Partitions of every topic created (default: kafka.partitions of --config, else 8).")
    var partitions: Int32?

    @Option(name: .customLong("topic"), help: "A topic to create; repeatable (default: the configured topics).")
    var topics: [String] = []

    @Option(help: "Write the bootstrap address to this file (default: kafka.bootstrapFile of --config).")
    var bootstrapFile: String?

    @Option(name: .shortAndLong, help: "A configuration file to take topics, partitions and the bootstrap file from.")
    var config: String?

    func run() async throws {
        try await reportingFailures {
            let configuration = try config.map { try ConfigurationLoader.load(file: $0) }
            let logger = Logger(label: "inmigration.dev-broker")
            let kafka = configuration?.kafka ?? KafkaOptions()
            let topics = self.topics.isEmpty ? kafka.topics.all : self.topics
            let partitions = self.partitions ?? kafka.partitions
            let cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
            for topic in topics {
                try cluster.createTopic(topic, partitions: partitions, replicationFactor: Int32(min(brokers, 3)))
            }
            let address = cluster.bootstrapServers
            if let file = bootstrapFile ?? kafka.bootstrapFile {
                let url = URL(fileURLWithPath: file)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data((address + "\n").utf8).write(to: url, options: .atomic)
            }
            // Unbuffered, so that a script reading our output sees the address at once.
            FileHandle.standardOutput.write(Data("\(address)\n".utf8))
            FileHandle.standardOutput.write(
                Data(
                    ("dev-broker: \(brokers) broker(s), topics \(topics.joined(separator: ", ")) with \(partitions) "
                        + "partitions each; stop with SIGTERM or SIGINT\n").utf8))
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: UntilShutdown())], gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            try await group.run()
            cluster.close()
            if let file = bootstrapFile ?? kafka.bootstrapFile { try? FileManager.default.removeItem(atPath: file) }
        }
    }
}

/// A service that does nothing but wait for the shutdown signal.
struct UntilShutdown: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}
