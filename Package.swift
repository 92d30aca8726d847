// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "inmigration",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inmigration", targets: ["InMigrationCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries: a module map and a one-line shim each, nothing else.
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMongoC", pkgConfig: "libmongoc-1.0", providers: [.apt(["libmongoc-dev"])]),
        // glibc's malloc tuning (`mallopt`), which the executable sets before any thread starts.
        .systemLibrary(name: "CMalloc"),

        // Bridges: the only modules that import a C library or touch an unsafe pointer.
        .target(
            name: "Kafka",
            dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "Mongo",
            dependencies: ["CMongoC", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),

        // The SQL of every table the product or the customer uses, and the demo's sample loads.
        .target(
            name: "DDL", path: "ddl",
            resources: [
                .copy("010_process_tracking.sql"), .copy("020_journal.sql"), .copy("030_boi_store.sql"),
                .copy("100_sample_in_tables.sql"),
            ]
        ),
        .target(name: "DemoData", path: "demo", resources: [.copy("day1.sql"), .copy("day2.sql")]),

        // The domain: records, business objects, messages. Pure Swift, no I/O.
        .target(name: "Domain", swiftSettings: strict),

        // Configuration file, environment overrides and their validation.
        .target(
            name: "Config",
            dependencies: ["Domain", .product(name: "Yams", package: "Yams")],
            path: "Sources/Configuration",
            swiftSettings: strict
        ),

        // The customer's handshake table (process_tracking): claim, lease, signal.
        .target(
            name: "Handshake",
            dependencies: ["Postgres", "Domain", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The product's own journal: migrations, progress per in-table, errors.
        .target(
            name: "Journal",
            dependencies: ["Postgres", "Domain", "DDL", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Pipeline stage 1: stream the in-tables to IN_MIGRATION.
        .target(
            name: "Starter",
            dependencies: [
                "Domain", "Config", "Handshake", "Journal", "Kafka", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Where instances live: the protocol (no storage technology leaks through it)…
        .target(name: "Store", dependencies: ["Domain"], swiftSettings: strict),
        // …and its PostgreSQL implementation (JSONB documents, unique keys as unique indexes).
        .target(
            name: "PostgresStore",
            dependencies: ["Store", "Domain", "Postgres", "DDL", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),

        // Pipeline stage 2: the consumer group that assembles instances and publishes to BOI.
        .target(
            name: "Consumer",
            dependencies: [
                "Domain", "Store", "Kafka", "Config",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Watching the pipeline: consumer-group lag (judged, not just subtracted) and the moment a
        // migration is complete and its in-tables are safe to clear.
        .target(
            name: "Monitor",
            dependencies: [
                "Domain", "Config", "Kafka", "Journal", "Handshake", "Store", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The HTTP API (Hummingbird 2).
        .target(
            name: "HTTPServer",
            dependencies: [
                "Domain", "Config", "Journal", "Starter", "Handshake", "Postgres", "Monitor", "Store", "Kafka",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Dashboard/dashboard.html")],
            swiftSettings: strict
        ),
        // The `inmigration` executable.
        .executableTarget(
            name: "InMigrationCLI",
            dependencies: [
                "Domain", "Config", "Kafka", "Postgres", "Handshake", "Journal", "Starter", "HTTPServer", "DDL",
                "DemoData", "Consumer", "Store", "PostgresStore", "Monitor", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),

        // Shared by the integration tests: throwaway databases and an embedded broker.
        .target(
            name: "IntegrationSupport",
            dependencies: [
                "Kafka", "Postgres", "Config", "DDL", "Domain", "Starter", "Consumer", "PostgresStore", "Monitor",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "DomainTests", dependencies: ["Domain"], swiftSettings: strict),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Domain", .product(name: "Yams", package: "Yams")], path: "Tests/ConfigurationTests", resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "Store", "Domain", "Postgres", "IntegrationSupport", "Journal",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsumerTests",
            dependencies: [
                "Consumer", "Store", "PostgresStore", "Starter", "Domain", "Config", "Kafka", "Postgres", "Journal",
                "DemoData", "IntegrationSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "MongoTests", dependencies: ["Mongo", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(
            name: "MonitorTests",
            dependencies: [
                "Monitor", "Kafka", "Consumer", "Starter", "PostgresStore", "Store", "Journal", "Handshake", "Config",
                "Domain", "Postgres", "IntegrationSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "IntegrationSupport"], swiftSettings: strict),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StarterTests",
            dependencies: [
                "Starter", "Handshake", "Journal", "Kafka", "Postgres", "Config", "Domain", "IntegrationSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "InMigrationCLI", "IntegrationSupport", "Postgres", "Domain", "Config", "Kafka", "Starter",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: [
                "HTTPServer", "Starter", "Handshake", "Journal", "Config", "Domain", "IntegrationSupport", "Monitor",
                "Consumer", "PostgresStore", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
    ]
)
