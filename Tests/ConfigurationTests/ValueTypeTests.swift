import Config
import Foundation
import Testing

@Suite("Durations, daily windows, leases and the broker address")
struct ValueTypeTests {
    @Test(arguments: [
        ("500ms", 500), ("10s", 10_000), ("2m", 120_000), ("1h", 3_600_000), ("30", 30_000), ("0", 0),
        (" 5s ", 5_000), ("1500ms", 1_500),
    ] as [(String, Int64)])
    func durationsParse(_ text: String, _ milliseconds: Int64) throws {
        let duration = try #require(ConfigDuration(text))
        #expect(duration.milliseconds == milliseconds)
        #expect(duration.duration == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "s", "ms", "1.5s", "-1s", "10 s", "1d", "ten", "99999999999999999h", "+5s", "0x10"])
    func badDurationsAreRefused(_ text: String) {
        #expect(ConfigDuration(text) == nil)
    }

    @Test func durationsPrintTheirShortestExactForm() {
        #expect(ConfigDuration.seconds(120).description == "2m")
        #expect(ConfigDuration.seconds(3600).description == "1h")
        #expect(ConfigDuration.seconds(90).description == "90s")
        #expect(ConfigDuration.milliseconds(1500).description == "1500ms")
        #expect(ConfigDuration.milliseconds(0).description == "0s")
        for text in ["500ms", "10s", "2m", "1h", "90s"] { #expect(ConfigDuration(text)?.description == text) }
    }

    @Test func durationsAreCodable() throws {
        let decoded = try JSONDecoder().decode([ConfigDuration].self, from: Data(#"["500ms", 30, "2m"]"#.utf8))
        #expect(decoded == [.milliseconds(500), .seconds(30), .seconds(120)])
        #expect(String(decoding: try JSONEncoder().encode([ConfigDuration.seconds(120)]), as: UTF8.self) == #"["2m"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ConfigDuration].self, from: Data(#"["soon"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ConfigDuration].self, from: Data("[-3]".utf8)) }
    }

    @Test func aDayWindowContainsItsStartButNotItsEnd() {
        let window = SchedulerOptions.DailyWindow(start: "09:00", end: "17:30")
        #expect(window.contains(hour: 9, minute: 0))
        #expect(window.contains(hour: 12, minute: 0))
        #expect(window.contains(hour: 17, minute: 29))
        #expect(!window.contains(hour: 17, minute: 30))
        #expect(!window.contains(hour: 8, minute: 59))
        #expect(!window.contains(hour: 23, minute: 0))
    }

    @Test func aWindowEndingBeforeItStartsWrapsPastMidnight() {
        let window = SchedulerOptions.DailyWindow(start: "22:00", end: "06:00")
        #expect(window.contains(hour: 22, minute: 0))
        #expect(window.contains(hour: 23, minute: 59))
        #expect(window.contains(hour: 0, minute: 0))
        #expect(window.contains(hour: 5, minute: 59))
        #expect(!window.contains(hour: 6, minute: 0))
        #expect(!window.contains(hour: 12, minute: 0))
        #expect(!window.contains(hour: 21, minute: 59))
    }

    @Test func aMalformedWindowContainsNothing() {
        #expect(!SchedulerOptions.DailyWindow(start: "9:00", end: "17:00").contains(hour: 12, minute: 0))
        #expect(!SchedulerOptions.DailyWindow(start: "09:00", end: "25:00").contains(hour: 12, minute: 0))
    }

    @Test func theLeaseRenewsAtAThirdOfItsDurationUnlessTold() {
        var lease = LeaseOptions()
        #expect(lease.effectiveRenewInterval == .seconds(20))
        lease.duration = .seconds(1)
        #expect(lease.effectiveRenewInterval.milliseconds == 333)
        lease.renewEvery = .milliseconds(250)
        #expect(lease.effectiveRenewInterval == .milliseconds(250))
    }

    @Test func theStoreUsesTheSourceDatabaseUnlessTold() throws {
        var configuration = try ConfigurationLoader.load(yaml: yaml())
        #expect(configuration.storeURL == "postgresql://inmigration@127.0.0.1:5432/customer")
        configuration.store.url = "host=own"
        #expect(configuration.storeURL == "host=own")
    }

    @Test func theBrokerAddressComesFromTheSettingOrTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-tests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let addressFile = directory.appendingPathComponent("broker.addr").path
        try "127.0.0.1:39092\n".write(toFile: addressFile, atomically: true, encoding: .utf8)

        var configuration = try ConfigurationLoader.load(yaml: yaml(), file: "dir/inmigration.yaml")
        configuration.kafka.bootstrapFile = addressFile
        #expect(try configuration.resolvedBootstrapServers() == "127.0.0.1:39092")
        #expect(try configuration.kafka.resolvedBootstrapServers() == "127.0.0.1:39092")

        configuration.kafka.bootstrapServers = "k:9092"
        #expect(try configuration.resolvedBootstrapServers() == "k:9092")

        configuration.kafka.bootstrapServers = nil
        try "  \n".write(toFile: addressFile, atomically: true, encoding: .utf8)
        let empty = #expect(throws: ConfigurationError.self) { try configuration.resolvedBootstrapServers() }
        #expect(empty?.key == "kafka.bootstrapFile")
        #expect(empty?.problem.contains("is empty") == true)

        configuration.kafka.bootstrapFile = directory.appendingPathComponent("missing.addr").path
        let missing = #expect(throws: ConfigurationError.self) { try configuration.resolvedBootstrapServers() }
        #expect(missing?.key == "kafka.bootstrapFile")
        #expect(missing?.file == "dir/inmigration.yaml")
        #expect(missing?.problem.contains("missing.addr") == true)

        configuration.kafka.bootstrapFile = nil
        let neither = #expect(throws: ConfigurationError.self) { try configuration.resolvedBootstrapServers() }
        #expect(neither?.key == "kafka.bootstrapServers")
        #expect(neither?.description.hasPrefix("dir/inmigration.yaml: kafka.bootstrapServers: ") == true)
    }

    @Test func aConfigurationBuiltInCodeCanBeValidated() throws {
        let configuration = try ConfigurationLoader.load(yaml: yaml())
        try ConfigurationValidator.validate(configuration)
        var broken = configuration
        broken.http.port = 70_000
        let error = #expect(throws: ConfigurationError.self) { try ConfigurationValidator.validate(broken) }
        #expect(error?.key == "http.port")
    }
}
