import Config
import Testing

@Suite("Producer properties")
struct ProducerPropertiesTests {
    @Test func durableCompressedAndBoundedUnlessTheConfigurationSaysOtherwise() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: yaml("kafka:\n  bootstrapServers: 127.0.0.1:9092\n  deliveryTimeout: 90s"))
        let properties = try configuration.producerProperties(clientID: "c", tuning: ["linger.ms": "20"])
        #expect(properties["bootstrap.servers"] == "127.0.0.1:9092")
        #expect(properties["client.id"] == "c")
        #expect(properties["enable.idempotence"] == "true")
        #expect(properties["acks"] == "all")
        #expect(properties["compression.type"] == "lz4")
        #expect(properties["message.timeout.ms"] == "90000")
        #expect(properties["linger.ms"] == "20")

        let chosen = try ConfigurationLoader.load(
            yaml: yaml(
                "kafka:\n  bootstrapServers: 127.0.0.1:9092\n  producer: {compression.type: zstd, linger.ms: 5}"))
        let overridden = try chosen.producerProperties(clientID: "c", tuning: ["linger.ms": "20"])
        #expect(overridden["compression.type"] == "zstd")
        #expect(overridden["linger.ms"] == "5")
    }
}
