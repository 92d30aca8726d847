import Config
import Testing

@Suite("Environment overrides")
struct EnvironmentOverrideTests {
    @Test func everyNamedVariableOverridesItsKey() throws {
        let environment = [
            "INMIGRATION_SOURCE_URL": "host=customer dbname=c",
            "INMIGRATION_SOURCE_SCHEMA": "staging",
            "INMIGRATION_STORE_URL": "host=own dbname=o",
            "INMIGRATION_STORE_KIND": "mongo",
            "INMIGRATION_MONGO_URL": "mongodb://127.0.0.1:27017",
            "INMIGRATION_KAFKA_BOOTSTRAP": "127.0.0.1:19092",
            "INMIGRATION_KAFKA_BOOTSTRAP_FILE": "/tmp/broker.addr",
            "INMIGRATION_KAFKA_GROUP": "other_group",
            "INMIGRATION_HTTP_HOST": "0.0.0.0",
            "INMIGRATION_HTTP_PORT": "9090",
            "INMIGRATION_HTTP_TOKEN": "s3cret-token",
        ]
        let configuration = try ConfigurationLoader.load(file: exampleFile, environment: environment)
        #expect(configuration.source.url == "host=customer dbname=c")
        #expect(configuration.source.schema == "staging")
        #expect(configuration.store.url == "host=own dbname=o")
        #expect(configuration.storeURL == "host=own dbname=o")
        #expect(configuration.store.kind == .mongo)
        #expect(configuration.store.mongoURL == "mongodb://127.0.0.1:27017")
        #expect(configuration.kafka.bootstrapServers == "127.0.0.1:19092")
        #expect(configuration.kafka.bootstrapFile == "/tmp/broker.addr")
        #expect(configuration.kafka.group == "other_group")
        #expect(configuration.http.host == "0.0.0.0")
        #expect(configuration.http.port == 9090)
        #expect(configuration.http.token == "s3cret-token")
        #expect(EnvironmentOverrides.variables.count == environment.count)
    }

    @Test func eachVariableAloneChangesOnlyItsKey() throws {
        let base = try ConfigurationLoader.load(file: exampleFile, environment: [:])
        for (variable, key) in EnvironmentOverrides.variables {
            let value = variable.hasSuffix("PORT") ? "9999" : variable.hasSuffix("KIND") ? "mongo" : "override-value"
            var environment = [variable: value]
            if variable.hasSuffix("KIND") { environment["INMIGRATION_MONGO_URL"] = "mongodb://m" }
            let configuration = try ConfigurationLoader.load(file: exampleFile, environment: environment)
            #expect(configuration != base, "\(variable) changed nothing")
            var expected = base
            try EnvironmentOverrides.apply(environment, to: &expected)
            #expect(configuration == expected, "\(variable) → \(key)")
        }
    }

    @Test func kafkaPropertiesComeFromTheirPrefixes() throws {
        let configuration = try ConfigurationLoader.load(
            file: exampleFile,
            environment: [
                "INMIGRATION_KAFKA_PRODUCER_SASL_PASSWORD": "pw1",
                "INMIGRATION_KAFKA_PRODUCER_COMPRESSION_TYPE": "zstd",
                "INMIGRATION_KAFKA_CONSUMER_SASL_PASSWORD": "pw2",
                "INMIGRATION_KAFKA_CONSUMER_AUTO_OFFSET_RESET": "earliest",
                "UNRELATED": "x",
            ])
        #expect(configuration.kafka.producer == ["sasl.password": "pw1", "compression.type": "zstd"])
        #expect(configuration.kafka.consumer == ["sasl.password": "pw2", "auto.offset.reset": "earliest"])
    }

    @Test func aPropertyVariableReplacesTheFilesValue() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: yaml("kafka:\n  producer: {linger.ms: '5', sasl.username: u}"),
            environment: ["INMIGRATION_KAFKA_PRODUCER_LINGER_MS": "20"])
        #expect(configuration.kafka.producer == ["linger.ms": "20", "sasl.username": "u"])
    }

    @Test func anEmptyVariableCountsAsUnset() throws {
        let configuration = try ConfigurationLoader.load(
            file: exampleFile, environment: ["INMIGRATION_HTTP_TOKEN": "", "INMIGRATION_HTTP_PORT": ""])
        #expect(configuration.http.token == "change-me")
        #expect(configuration.http.port == 8080)
    }

    @Test func theEnvironmentCanSupplyTheRequiredSourceURL() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: yaml(source: "schema: public"), environment: ["INMIGRATION_SOURCE_URL": "host=db"])
        #expect(configuration.source.url == "host=db")
    }

    static let invalidCases: [ErrorCase] = [
        ErrorCase(text: yaml(), key: "INMIGRATION_HTTP_PORT", problem: "expected an integer, found 'abc'", environment: ["INMIGRATION_HTTP_PORT": "abc"]),
        ErrorCase(text: yaml(), key: "INMIGRATION_HTTP_PORT", problem: "must be between 0 (any free port) and 65535, found 70000", environment: ["INMIGRATION_HTTP_PORT": "70000"]),
        ErrorCase(text: yaml(), key: "INMIGRATION_STORE_KIND", problem: "expected postgres or mongo, found 'oracle'", environment: ["INMIGRATION_STORE_KIND": "oracle"]),
        ErrorCase(text: yaml(), key: "INMIGRATION_SOURCE_SCHEMA", problem: "is longer than 63 bytes", environment: ["INMIGRATION_SOURCE_SCHEMA": String(repeating: "s", count: 64)]),
        ErrorCase(text: yaml(), key: "INMIGRATION_KAFKA_PRODUCER_", problem: "names no property", environment: ["INMIGRATION_KAFKA_PRODUCER_": "x"]),
    ]

    @Test(arguments: invalidCases) func anInvalidOverrideNamesTheVariable(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }
}
