import Config
import Foundation

/// The configuration the tests run with: the repository's example file (so the example is
/// exercised by every integration test), pointed at the test database and broker.
public enum TestConfiguration {
    /// The repository root, found from this file's location.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    public static var exampleFile: String {
        repositoryRoot.appendingPathComponent("config/inmigration.example.yaml").path
    }

    /// - Parameters:
    ///   - databaseURL: source and store database.
    ///   - bootstrapServers: the broker.
    ///   - adjust: further changes (lease length, timeouts…).
    public static func make(
        databaseURL: String, bootstrapServers: String,
        adjust: (inout InMigrationConfiguration) -> Void = { _ in }
    ) throws -> InMigrationConfiguration {
        var configuration = try ConfigurationLoader.load(
            file: exampleFile,
            environment: ["INMIGRATION_SOURCE_URL": databaseURL, "INMIGRATION_KAFKA_BOOTSTRAP": bootstrapServers])
        configuration.store.url = databaseURL
        configuration.kafka.bootstrapFile = nil
        configuration.kafka.deliveryTimeout = .seconds(30)
        configuration.lease.duration = .seconds(5)
        adjust(&configuration)
        return configuration
    }
}
