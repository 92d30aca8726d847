import Domain

/// Turns the YAML tree into an ``InMigrationConfiguration``: each section's keys are checked
/// against its known set, each value converted with its key path, and every omitted knob keeps
/// the default its options struct declares.
enum ConfigurationDecoding {
    enum RootKey: String, CaseIterable { case source, store, kafka, consumer, http, scheduler, lease, monitor, mapping }
    enum SourceKey: String, CaseIterable { case url, schema, trackingTable, readyStatus, readers }
    enum StoreKey: String, CaseIterable { case kind, url, schema, mongoURL, mongoDatabase }
    enum KafkaKey: String, CaseIterable {
        case bootstrapServers, bootstrapFile, topics, group, deliveryTimeout, partitions, producer, consumer
    }
    enum ConsumerKey: String, CaseIterable { case lanes, batchSize }
    enum TopicsKey: String, CaseIterable { case inMigration, boi, deadLetter }
    enum HTTPKey: String, CaseIterable { case host, port, token, protectReads }
    enum SchedulerKey: String, CaseIterable { case pollInterval, window }
    enum WindowKey: String, CaseIterable { case start, end }
    enum LeaseKey: String, CaseIterable { case duration, renewEvery }
    enum MonitorKey: String, CaseIterable { case interval, stalledAfter, history, downstreamGroups }

    static func configuration(from root: YAMLValue) throws(ConfigurationError) -> InMigrationConfiguration {
        let section = try root.section(RootKey.self)
        // source.url may come from the environment; its absence is reported by the validator.
        var source = SourceOptions(url: "")
        if let value = section[.source] { source = try sourceOptions(value) }
        var configuration = InMigrationConfiguration(
            source: source, mapping: MigrationMapping(tables: []), file: root.file)
        if let value = section[.store] { configuration.store = try storeOptions(value) }
        if let value = section[.kafka] { configuration.kafka = try kafkaOptions(value) }
        if let value = section[.consumer] { configuration.consumer = try consumerOptions(value) }
        if let value = section[.http] { configuration.http = try httpOptions(value) }
        if let value = section[.scheduler] { configuration.scheduler = try schedulerOptions(value) }
        if let value = section[.lease] { configuration.lease = try leaseOptions(value) }
        if let value = section[.monitor] { configuration.monitor = try monitorOptions(value) }
        guard let mapping = section[.mapping] else {
            throw section.missing(.mapping, hint: "map at least one in-table under mapping.tables")
        }
        configuration.mapping = try MappingDecoding.mapping(from: mapping)
        return configuration
    }

    static func sourceOptions(_ value: YAMLValue) throws(ConfigurationError) -> SourceOptions {
        let section = try value.section(SourceKey.self)
        var options = SourceOptions(url: try section[.url]?.string() ?? "")
        if let item = section[.schema] { options.schema = try item.string() }
        if let item = section[.trackingTable] { options.trackingTable = try item.string() }
        if let item = section[.readyStatus] { options.readyStatus = try item.string() }
        if let item = section[.readers] { options.readers = try item.int() }
        return options
    }

    static func storeOptions(_ value: YAMLValue) throws(ConfigurationError) -> StoreOptions {
        let section = try value.section(StoreKey.self)
        var options = StoreOptions()
        if let item = section[.kind] {
            guard let kind = StoreKind(rawValue: try item.string()) else {
                throw item.typeError(expected: StoreKind.allCases.map(\.rawValue).joined(separator: " or "))
            }
            options.kind = kind
        }
        options.url = try section[.url]?.string()
        if let item = section[.schema] { options.schema = try item.string() }
        options.mongoURL = try section[.mongoURL]?.string()
        if let item = section[.mongoDatabase] { options.mongoDatabase = try item.string() }
        return options
    }

    static func kafkaOptions(_ value: YAMLValue) throws(ConfigurationError) -> KafkaOptions {
        let section = try value.section(KafkaKey.self)
        var options = KafkaOptions()
        options.bootstrapServers = try section[.bootstrapServers]?.string()
        options.bootstrapFile = try section[.bootstrapFile]?.string()
        if let item = section[.topics] {
            let topics = try item.section(TopicsKey.self)
            if let name = topics[.inMigration] { options.topics.inMigration = try name.string() }
            if let name = topics[.boi] { options.topics.boi = try name.string() }
            if let name = topics[.deadLetter] { options.topics.deadLetter = try name.string() }
        }
        if let item = section[.group] { options.group = try item.string() }
        if let item = section[.deliveryTimeout] { options.deliveryTimeout = try item.duration() }
        if let item = section[.partitions] {
            guard let partitions = Int32(exactly: try item.int()) else {
                throw item.typeError(expected: "an integer between 1 and \(Int32.max)")
            }
            options.partitions = partitions
        }
        if let item = section[.producer] { options.producer = try item.stringMap() }
        if let item = section[.consumer] { options.consumer = try item.stringMap() }
        return options
    }

    static func httpOptions(_ value: YAMLValue) throws(ConfigurationError) -> HTTPOptions {
        let section = try value.section(HTTPKey.self)
        var options = HTTPOptions()
        if let item = section[.host] { options.host = try item.string() }
        if let item = section[.port] { options.port = try item.int() }
        options.token = try section[.token]?.string()
        if let item = section[.protectReads] { options.protectReads = try item.bool() }
        return options
    }

    static func schedulerOptions(_ value: YAMLValue) throws(ConfigurationError) -> SchedulerOptions {
        let section = try value.section(SchedulerKey.self)
        var options = SchedulerOptions()
        if let item = section[.pollInterval] { options.pollInterval = try item.duration() }
        if let item = section[.window] {
            let window = try item.section(WindowKey.self)
            options.window = SchedulerOptions.DailyWindow(
                start: try window.required(.start).string(), end: try window.required(.end).string())
        }
        return options
    }

    static func consumerOptions(_ value: YAMLValue) throws(ConfigurationError) -> ConsumerOptions {
        let section = try value.section(ConsumerKey.self)
        var options = ConsumerOptions()
        if let item = section[.lanes] { options.lanes = try item.int() }
        if let item = section[.batchSize] { options.batchSize = try item.int() }
        return options
    }

    static func leaseOptions(_ value: YAMLValue) throws(ConfigurationError) -> LeaseOptions {
        let section = try value.section(LeaseKey.self)
        var options = LeaseOptions()
        if let item = section[.duration] { options.duration = try item.duration() }
        options.renewEvery = try section[.renewEvery]?.duration()
        return options
    }

    static func monitorOptions(_ value: YAMLValue) throws(ConfigurationError) -> MonitorOptions {
        let section = try value.section(MonitorKey.self)
        var options = MonitorOptions()
        if let item = section[.interval] { options.interval = try item.duration() }
        if let item = section[.stalledAfter] { options.stalledAfter = try item.duration() }
        if let item = section[.history] { options.history = try item.duration() }
        if let item = section[.downstreamGroups] { options.downstreamGroups = try item.strings() }
        return options
    }
}
