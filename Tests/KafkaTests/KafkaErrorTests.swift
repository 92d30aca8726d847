import Kafka
import Logging
import Testing

@Suite("KafkaError and configuration errors")
struct KafkaErrorTests {
    @Test("description names the code and flags and nothing else")
    func description() {
        let error = KafkaError(
            code: -192,
            codeName: "_MSG_TIMED_OUT",
            message: "Local: Message timed out",
            isFatal: false,
            isRetriable: true
        )
        #expect(error.description == "KafkaError _MSG_TIMED_OUT [-192]: Local: Message timed out (retriable)")
        var fatal = error
        fatal.isFatal = true
        fatal.isRetriable = false
        #expect(fatal.description.hasSuffix("(fatal)"))
        #expect(KafkaError.Codes.messageTimedOut == -192)
        #expect(error != fatal)
    }

    @Test("an unknown property is rejected with _INVALID_ARG")
    func unknownProperty() {
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(properties: ["no.such.property": "1"], logger: KafkaTestSupport.logger)
        }
        #expect(error?.code == KafkaError.Codes.invalidArgument)
        #expect(error?.codeName == "_INVALID_ARG")
        #expect(error?.message.contains("no.such.property") == true)
    }

    @Test("an invalid value is rejected; secret values never reach the description")
    func invalidValues() {
        let plain = #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(properties: ["auto.offset.reset": "sideways"], logger: KafkaTestSupport.logger)
        }
        #expect(plain?.message.contains("auto.offset.reset") == true)

        let secret = "hunter2-very-secret"
        let hidden = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(
                properties: ["sasl.mechanisms": "PLAIN", "ssl.key.password": secret, "sasl.password": secret,
                             "security.protocol": "carrier-pigeon"],
                logger: KafkaTestSupport.logger
            )
        }
        #expect(hidden.map { "\($0)" }?.contains(secret) == false)
    }

    @Test("mock cluster commands after close throw _DESTROY", .timeLimit(.minutes(1)))
    func closedCluster() async throws {
        let cluster = try KafkaMockCluster(brokers: 2, logger: KafkaTestSupport.logger)
        #expect(cluster.bootstrapServers.split(separator: ",").count == 2)
        #expect(cluster.bootstrapServers.hasPrefix("127.0.0.1:"))
        try await KafkaTestSupport.onThread { cluster.close() }
        cluster.close()
        let error = #expect(throws: KafkaError.self) { try cluster.createTopic("late", partitions: 1) }
        #expect(error?.code == KafkaError.Codes.destroyed)
    }
}
