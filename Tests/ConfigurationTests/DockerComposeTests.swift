import Config
import Foundation
import Testing
import Yams

/// docker-compose.yml cannot run here (no Docker engine), so it is checked by parsing: the
/// services exist and config/docker.yaml points at them.
@Suite("docker-compose.yml and config/docker.yaml agree")
struct DockerComposeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func compose() throws -> [String: Any] {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    private func services() throws -> [String: [String: Any]] {
        try #require(try compose()["services"] as? [String: [String: Any]])
    }

    private func configuration() throws -> InMigrationConfiguration {
        try ConfigurationLoader.load(file: Self.root.appendingPathComponent("config/docker.yaml").path, environment: [:])
    }

    @Test func theStackHasEveryService() throws {
        let services = try services()
        for name in ["kafka", "kafka-init", "postgres", "mongo", "inmigration"] {
            #expect(services[name] != nil, "service \(name) is missing")
        }
        let kafka = try #require(services["kafka"]?["environment"] as? [String: Any])
        #expect("\(kafka["KAFKA_PROCESS_ROLES"] ?? "")" == "broker,controller", "Kafka must run in KRaft mode")
        let service = try #require(services["inmigration"])
        #expect((service["build"] as? [String: Any])?["context"] as? String == ".")
        let volumes = try #require(service["volumes"] as? [String])
        #expect(volumes.contains("./config/docker.yaml:/etc/inmigration/inmigration.yaml:ro"))
        #expect(service["command"] as? [String] == ["serve", "--config", "/etc/inmigration/inmigration.yaml"])
    }

    @Test func theConfigurationPointsAtTheServices() throws {
        let configuration = try configuration()
        let services = try services()

        let source = try #require(URLComponents(string: configuration.source.url))
        #expect(source.host == "postgres")
        #expect(source.port == 5432)
        #expect(source.path == "/customer")
        let postgres = try #require(services["postgres"]?["environment"] as? [String: Any])
        #expect(postgres["POSTGRES_DB"] as? String == "customer")
        #expect((services["postgres"]?["ports"] as? [String])?.first?.hasSuffix(":5432") == true)

        #expect(configuration.kafka.bootstrapServers == "kafka:9092")
        let kafka = try #require(services["kafka"]?["environment"] as? [String: Any])
        #expect("\(kafka["KAFKA_ADVERTISED_LISTENERS"] ?? "")" == "PLAINTEXT://kafka:9092")

        let mongo = try #require(configuration.store.mongoURL.flatMap { URLComponents(string: $0) })
        #expect(mongo.host == "mongo")
        #expect(mongo.port == 27017)
        #expect((services["mongo"]?["ports"] as? [String])?.first?.hasSuffix(":27017") == true)

        #expect(configuration.http.host == "0.0.0.0")
        let published = try #require((services["inmigration"]?["ports"] as? [String])?.first)
        #expect(published.hasSuffix(":\(configuration.http.port)"))
    }

    @Test func theInitServiceCreatesTheConfiguredTopics() throws {
        let configuration = try configuration()
        let command = try #require(try services()["kafka-init"]?["command"] as? [String]).joined(separator: "\n")
        for topic in configuration.kafka.topics.all {
            #expect(command.contains("--topic \(topic) "), "kafka-init does not create \(topic)")
        }
        #expect(command.contains("--topic \(configuration.kafka.topics.inMigration) --partitions \(configuration.kafka.partitions)"))
    }
}
