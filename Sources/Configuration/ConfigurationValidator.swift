/// Checks a configuration as a whole before anything starts, and reports the first problem as a
/// ``ConfigurationError`` naming its key.
///
/// Only what can be known without connecting to anything is checked here; whether the named
/// tables and columns exist is checked against the database catalogue later, using
/// ``InMigrationConfiguration/keyPath(ofTable:)`` to name the entry.
public enum ConfigurationValidator {
    /// - Throws: ``ConfigurationError`` for the first problem found, in file order.
    public static func validate(_ configuration: InMigrationConfiguration) throws(ConfigurationError) {
        let check = Checker(file: configuration.file)
        try validateSource(configuration.source, check)
        try validateStore(configuration.store, check)
        try validateKafka(configuration.kafka, check)
        try validateConsumer(configuration.consumer, check)
        try validateHTTP(configuration.http, check)
        try validateScheduler(configuration.scheduler, check)
        try validateLease(configuration.lease, check)
        try validateMonitor(configuration.monitor, check)
        try MappingValidator.validate(configuration.mapping, check)
    }

    static func validateSource(_ source: SourceOptions, _ check: Checker) throws(ConfigurationError) {
        guard !source.url.isEmpty else {
            throw check.error("source.url", "missing required key; set it here or with INMIGRATION_SOURCE_URL")
        }
        try check.identifier(source.schema, at: "source.schema")
        try check.identifier(source.trackingTable, at: "source.trackingTable")
        try check.notEmpty(source.readyStatus, at: "source.readyStatus")
        guard (1...16).contains(source.readers) else {
            throw check.error("source.readers", "must be from 1 to 16, found \(source.readers)")
        }
    }

    static func validateStore(_ store: StoreOptions, _ check: Checker) throws(ConfigurationError) {
        if let url = store.url { try check.notEmpty(url, at: "store.url", hint: "omit it to use source.url") }
        try check.identifier(store.schema, at: "store.schema")
        if store.kind == .mongo, (store.mongoURL ?? "").isEmpty {
            throw check.error(
                "store.mongoURL", "required when store.kind is mongo; set it here or with INMIGRATION_MONGO_URL")
        }
        let database = store.mongoDatabase
        try check.notEmpty(database, at: "store.mongoDatabase")
        if database.utf8.count > 63 || database.contains(where: { "/\\. \"$\0".contains($0) }) {
            throw check.error(
                "store.mongoDatabase",
                "'\(database)' is not a MongoDB database name (at most 63 bytes, none of / \\ . \" $ or space)")
        }
    }

    static func validateKafka(_ kafka: KafkaOptions, _ check: Checker) throws(ConfigurationError) {
        if let servers = kafka.bootstrapServers {
            try check.notEmpty(servers.trimmingWhitespace(), at: "kafka.bootstrapServers")
        }
        if let file = kafka.bootstrapFile { try check.notEmpty(file, at: "kafka.bootstrapFile") }
        let topics = [
            ("kafka.topics.inMigration", kafka.topics.inMigration), ("kafka.topics.boi", kafka.topics.boi),
            ("kafka.topics.deadLetter", kafka.topics.deadLetter),
        ]
        var seen: [String: String] = [:]
        for (key, name) in topics {
            let legal = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
            guard !name.isEmpty, name.count <= 249, legal, name != ".", name != ".." else {
                throw check.error(key, "'\(name)' is not a Kafka topic name (1 to 249 of A-Z a-z 0-9 . _ -)")
            }
            if let other = seen[name] { throw check.error(key, "'\(name)' is already the topic of \(other)") }
            seen[name] = key
        }
        try check.notEmpty(kafka.group, at: "kafka.group")
        try check.positive(kafka.deliveryTimeout, at: "kafka.deliveryTimeout")
        guard kafka.partitions >= 1 else {
            throw check.error("kafka.partitions", "must be at least 1, found \(kafka.partitions)")
        }
        for (section, properties) in [("producer", kafka.producer), ("consumer", kafka.consumer)] {
            for (name, _) in properties where name.trimmingWhitespace().isEmpty {
                throw check.error("kafka.\(section)", "a property name must not be empty")
            }
        }
    }

    static func validateConsumer(_ consumer: ConsumerOptions, _ check: Checker) throws(ConfigurationError) {
        guard (1...16).contains(consumer.lanes) else {
            throw check.error("consumer.lanes", "must be from 1 to 16, found \(consumer.lanes)")
        }
        guard consumer.batchSize >= 1 else {
            throw check.error("consumer.batchSize", "must be at least 1, found \(consumer.batchSize)")
        }
    }

    static func validateHTTP(_ http: HTTPOptions, _ check: Checker) throws(ConfigurationError) {
        try check.notEmpty(http.host, at: "http.host")
        guard (0...65535).contains(http.port) else {
            throw check.error("http.port", "must be between 0 (any free port) and 65535, found \(http.port)")
        }
        if let token = http.token {
            try check.notEmpty(token, at: "http.token", hint: "omit it to refuse every mutating request")
        }
    }

    static func validateScheduler(_ scheduler: SchedulerOptions, _ check: Checker) throws(ConfigurationError) {
        try check.positive(scheduler.pollInterval, at: "scheduler.pollInterval")
        guard let window = scheduler.window else { return }
        for (key, time) in [("scheduler.window.start", window.start), ("scheduler.window.end", window.end)]
        where SchedulerOptions.DailyWindow.minuteOfDay(time) == nil {
            throw check.error(key, "'\(time)' is not a time of day written HH:MM (00:00 to 23:59)")
        }
        if window.start == window.end {
            throw check.error(
                "scheduler.window.end", "equals start, which leaves no time; omit window to claim at any time")
        }
    }

    static func validateLease(_ lease: LeaseOptions, _ check: Checker) throws(ConfigurationError) {
        try check.positive(lease.duration, at: "lease.duration")
        guard let renewEvery = lease.renewEvery else { return }
        try check.positive(renewEvery, at: "lease.renewEvery")
        guard renewEvery < lease.duration else {
            throw check.error(
                "lease.renewEvery", "must be shorter than lease.duration (\(lease.duration)), found \(renewEvery)")
        }
    }

    static func validateMonitor(_ monitor: MonitorOptions, _ check: Checker) throws(ConfigurationError) {
        try check.positive(monitor.interval, at: "monitor.interval")
        try check.positive(monitor.stalledAfter, at: "monitor.stalledAfter")
        guard monitor.stalledAfter > monitor.interval, monitor.history >= monitor.stalledAfter else {
            throw check.error(
                "monitor", "needs interval < stalledAfter <= history, found interval \(monitor.interval), "
                    + "stalledAfter \(monitor.stalledAfter), history \(monitor.history)")
        }
        for (index, group) in monitor.downstreamGroups.enumerated() {
            try check.notEmpty(group, at: "monitor.downstreamGroups[\(index)]")
        }
    }
}

/// The small checks every validator repeats, each naming the file and key on failure.
struct Checker {
    let file: String

    func error(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key, problem: problem)
    }

    func notEmpty(_ value: String, at key: String, hint: String = "") throws(ConfigurationError) {
        guard value.isEmpty else { return }
        throw error(key, "must not be empty" + (hint.isEmpty ? "" : "; \(hint)"))
    }

    /// A PostgreSQL identifier named in configuration: it is quoted wherever it is used, so only
    /// what quoting cannot save is refused (empty, over 63 bytes, a NUL).
    func identifier(_ name: String, at key: String) throws(ConfigurationError) {
        try notEmpty(name, at: key)
        if name.utf8.count > 63 {
            throw error(key, "'\(name)' is longer than 63 bytes, PostgreSQL's limit for a name")
        }
        if name.contains("\0") { throw error(key, "must not contain a NUL character") }
    }

    func positive(_ duration: ConfigDuration, at key: String) throws(ConfigurationError) {
        guard duration.duration <= .zero else { return }
        throw error(key, "must be longer than zero")
    }
}
