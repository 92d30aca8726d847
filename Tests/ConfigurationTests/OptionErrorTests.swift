import Config
import Testing

/// One configuration that must fail, the key the error must name and a fragment of its problem.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let text: String
    let key: String
    let problem: String
    var environment: [String: String] = [:]

    var testDescription: String { key }
}

func expectError(_ errorCase: ErrorCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let error = loadError(errorCase.text, file: "conf/test.yaml", environment: errorCase.environment)
    #expect(error?.key == errorCase.key, sourceLocation: sourceLocation)
    #expect(error?.file == "conf/test.yaml", sourceLocation: sourceLocation)
    #expect(error?.problem.contains(errorCase.problem) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.description.hasPrefix("conf/test.yaml: \(errorCase.key): ") == true, sourceLocation: sourceLocation)
    #expect(error?.description.contains("\n") == false, sourceLocation: sourceLocation)
}

@Suite("Errors in the options sections")
struct OptionErrorTests {
    static let syntaxCases: [ErrorCase] = [
        ErrorCase(text: "source:\n  url: x\n  schema: [public\nmapping: {}", key: "line 4, column 8", problem: "did not find expected ',' or ']'"),
        ErrorCase(text: "source: url: x", key: "line 1, column 12", problem: "mapping values are not allowed"),
        ErrorCase(text: "source:\n  url: a\n  url: b\n", key: "line 2, column 3", problem: "repeats the key 'url'"),
        ErrorCase(text: "source:\n\turl: a", key: "line 2, column 1", problem: "cannot start any token"),
    ]

    @Test(arguments: syntaxCases) func yamlSyntaxErrorsGiveLineAndColumn(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }

    @Test func emptyFileIsReported() {
        let error = loadError("# nothing here\n", file: "conf/test.yaml")
        #expect(error?.key == "")
        #expect(error?.description.hasPrefix("conf/test.yaml: the configuration is empty") == true)
    }

    @Test func missingFileIsReported() {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: "/nonexistent/inmigration.yaml", environment: [:])
        }
        #expect(error?.file == "/nonexistent/inmigration.yaml")
        #expect(error?.problem.contains("does not exist") == true)
    }

    static let typeCases: [ErrorCase] = [
        ErrorCase(text: yaml("http:\n  port: eighty"), key: "http.port", problem: "expected an integer, found 'eighty'"),
        ErrorCase(text: yaml("http:\n  protectReads: maybe"), key: "http.protectReads", problem: "expected true or false, found 'maybe'"),
        ErrorCase(text: yaml("http:\n  host: [a, b]"), key: "http.host", problem: "expected a string, found a list"),
        ErrorCase(text: yaml("http: 8080"), key: "http", problem: "expected a mapping with keys host, port, token, protectReads, found '8080'"),
        ErrorCase(text: yaml("kafka:\n  partitions: 99999999999"), key: "kafka.partitions", problem: "expected an integer between 1 and"),
        ErrorCase(text: yaml("consumer: {lanes: two}"), key: "consumer.lanes", problem: "expected an integer, found 'two'"),
        ErrorCase(text: yaml("kafka:\n  producer: [a]"), key: "kafka.producer", problem: "expected a mapping, found a list"),
        ErrorCase(text: yaml("kafka:\n  consumer: {group.id: {a: b}}"), key: "kafka.consumer.group.id", problem: "expected a string, found a mapping"),
        ErrorCase(text: yaml("store:\n  kind: oracle"), key: "store.kind", problem: "expected postgres or mongo, found 'oracle'"),
        ErrorCase(text: "source: {url: x}\nmapping:\n  tables: {table: t}", key: "mapping.tables", problem: "expected a list, found a mapping"),
        ErrorCase(text: yaml(tables: "  - table: t\n    bo: B\n    externalId: id\n    uniqueKeys: [code]"), key: "mapping.tables[0].uniqueKeys[0]", problem: "expected a list of field names, found 'code'"),
        ErrorCase(text: yaml(tables: "  - table: t\n    bo: B\n    externalId: id\n    references: [{column: c, target: B, many: 2}]"), key: "mapping.tables[0].references[0].many", problem: "expected true or false, found '2'"),
        ErrorCase(text: yaml(tables: "  - table: t\n    bo: B\n    externalId: id\n    systemFields: name"), key: "mapping.tables[0].systemFields", problem: "expected a list, found 'name'"),
    ]

    @Test(arguments: typeCases) func wrongTypesNameTheKeyAndWhatWasFound(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }

    static let missingCases: [ErrorCase] = [
        ErrorCase(text: yaml(source: "schema: public"), key: "source.url", problem: "missing required key; set it here or with INMIGRATION_SOURCE_URL"),
        ErrorCase(text: "mapping:\n  tables:\n    - {table: t, bo: B, externalId: id}", key: "source.url", problem: "missing required key"),
        ErrorCase(text: "source: {url: x}", key: "mapping", problem: "missing required key"),
        ErrorCase(text: "source: {url: x}\nmapping: {systemBOs: []}", key: "mapping.tables", problem: "missing required key"),
        ErrorCase(text: yaml(tables: "  - {bo: B, externalId: id}"), key: "mapping.tables[0].table", problem: "missing required key"),
        ErrorCase(text: yaml(tables: "  - {table: t, externalId: id}"), key: "mapping.tables[0].bo", problem: "missing required key"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id}\n  - {table: u, bo: C}"), key: "mapping.tables[1].externalId", problem: "missing required key"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, references: [{column: c}]}"), key: "mapping.tables[0].references[0].target", problem: "missing required key"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, catalogs: [{column: c}]}"), key: "mapping.tables[0].catalogs[0].catalog", problem: "missing required key"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, children: [{table: c}]}"), key: "mapping.tables[0].children[0].link", problem: "missing required key"),
        ErrorCase(text: yaml("scheduler:\n  window: {start: '22:00'}"), key: "scheduler.window.end", problem: "missing required key"),
        ErrorCase(text: yaml("store: {kind: mongo}"), key: "store.mongoURL", problem: "required when store.kind is mongo"),
    ]

    @Test(arguments: missingCases) func missingRequiredKeysAreNamed(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }

    static let unknownKeyCases: [ErrorCase] = [
        ErrorCase(text: yaml("scheduler:\n  pollIntervall: 5s"), key: "scheduler.pollIntervall", problem: "unknown key (known: pollInterval, window)"),
        ErrorCase(text: yaml("sorce: {url: x}"), key: "sorce", problem: "unknown key (known: source, store, kafka, consumer, http, scheduler, lease, monitor, mapping)"),
        ErrorCase(text: yaml(source: "uri: x"), key: "source.uri", problem: "unknown key (known: url, schema, trackingTable, readyStatus, readers)"),
        ErrorCase(text: yaml("kafka:\n  topics: {dlq: X}"), key: "kafka.topics.dlq", problem: "unknown key (known: inMigration, boi, deadLetter)"),
        ErrorCase(text: yaml("scheduler:\n  window: {from: '22:00', end: '06:00'}"), key: "scheduler.window.from", problem: "unknown key (known: start, end)"),
        ErrorCase(text: yaml("lease: {renew: 5s}"), key: "lease.renew", problem: "unknown key (known: duration, renewEvery)"),
        ErrorCase(text: yaml("store: {mongoUrl: x}"), key: "store.mongoUrl", problem: "unknown key (known: kind, url, schema, mongoURL, mongoDatabase)"),
        ErrorCase(text: yaml("http: {tokn: x}"), key: "http.tokn", problem: "unknown key"),
        ErrorCase(text: yaml("consumer: {threads: 2}"), key: "consumer.threads", problem: "unknown key (known: lanes, batchSize)"),
        ErrorCase(text: yaml("monitor: {stalledAfterSeconds: 60}"), key: "monitor.stalledAfterSeconds", problem: "unknown key (known: interval, stalledAfter, history, downstreamGroups)"),
        ErrorCase(text: yaml(mappingExtra: "refused: [Company]"), key: "mapping.refused", problem: "unknown key (known: tables, systemBOs, refusedBOs)"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, refrences: []}"), key: "mapping.tables[0].refrences", problem: "unknown key (known: table, bo, externalId, removed, references, catalogs, children, uniqueKeys, systemFields)"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, references: [{column: c, target: B, multiple: true}]}"), key: "mapping.tables[0].references[0].multiple", problem: "unknown key (known: column, field, target, many)"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, catalogs: [{column: c, catalogue: x}]}"), key: "mapping.tables[0].catalogs[0].catalogue", problem: "unknown key (known: column, field, catalog)"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, children: [{table: c, parent: p}]}"), key: "mapping.tables[0].children[0].parent", problem: "unknown key (known: table, link, field)"),
    ]

    @Test(arguments: unknownKeyCases) func unknownKeysAreRefusedWithTheKnownOnes(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }

    static let valueCases: [ErrorCase] = [
        ErrorCase(text: yaml("scheduler: {pollInterval: 10 minutes}"), key: "scheduler.pollInterval", problem: "'10 minutes' is not a duration"),
        ErrorCase(text: yaml("kafka: {deliveryTimeout: 1.5s}"), key: "kafka.deliveryTimeout", problem: "is not a duration"),
        ErrorCase(text: yaml("lease: {duration: -5s}"), key: "lease.duration", problem: "is not a duration"),
        ErrorCase(text: yaml("scheduler: {pollInterval: 0s}"), key: "scheduler.pollInterval", problem: "must be longer than zero"),
        ErrorCase(text: yaml("lease: {duration: 30s, renewEvery: 30s}"), key: "lease.renewEvery", problem: "must be shorter than lease.duration (30s), found 30s"),
        ErrorCase(text: yaml("http: {port: -1}"), key: "http.port", problem: "must be between 0 (any free port) and 65535, found -1"),
        ErrorCase(text: yaml("http: {port: 65536}"), key: "http.port", problem: "must be between 0 (any free port) and 65535, found 65536"),
        ErrorCase(text: yaml("http: {token: ''}"), key: "http.token", problem: "must not be empty"),
        ErrorCase(text: yaml(source: "{url: x, readers: 0}"), key: "source.readers", problem: "must be from 1 to 16, found 0"),
        ErrorCase(text: yaml(source: "{url: x, readers: 17}"), key: "source.readers", problem: "must be from 1 to 16, found 17"),
        ErrorCase(text: yaml("consumer: {lanes: 0}"), key: "consumer.lanes", problem: "must be from 1 to 16, found 0"),
        ErrorCase(text: yaml("consumer: {lanes: 17}"), key: "consumer.lanes", problem: "must be from 1 to 16, found 17"),
        ErrorCase(text: yaml("consumer: {batchSize: 0}"), key: "consumer.batchSize", problem: "must be at least 1, found 0"),
        ErrorCase(text: yaml("monitor: {interval: 0s}"), key: "monitor.interval", problem: "must be longer than zero"),
        ErrorCase(text: yaml("monitor: {interval: 5s, stalledAfter: 5s}"), key: "monitor", problem: "needs interval < stalledAfter <= history, found interval 5s, stalledAfter 5s, history 10m"),
        ErrorCase(text: yaml("monitor: {stalledAfter: 20m}"), key: "monitor", problem: "history 10m"),
        ErrorCase(text: yaml("monitor: {downstreamGroups: [search, '']}"), key: "monitor.downstreamGroups[1]", problem: "must not be empty"),
        ErrorCase(text: yaml("scheduler: {window: {start: '24:00', end: '06:00'}}"), key: "scheduler.window.start", problem: "'24:00' is not a time of day written HH:MM"),
        ErrorCase(text: yaml("scheduler: {window: {start: '22:00', end: '6:00'}}"), key: "scheduler.window.end", problem: "'6:00' is not a time of day written HH:MM"),
        ErrorCase(text: yaml("scheduler: {window: {start: '22:00', end: '22:00'}}"), key: "scheduler.window.end", problem: "equals start"),
        ErrorCase(text: yaml(source: "{url: x, schema: ''}"), key: "source.schema", problem: "must not be empty"),
        ErrorCase(text: yaml(source: "{url: x, trackingTable: \(String(repeating: "t", count: 64))}"), key: "source.trackingTable", problem: "is longer than 63 bytes"),
        ErrorCase(text: yaml("store: {schema: \(String(repeating: "é", count: 32))}"), key: "store.schema", problem: "is longer than 63 bytes"),
        ErrorCase(text: yaml("store: {mongoDatabase: 'in.migration'}"), key: "store.mongoDatabase", problem: "is not a MongoDB database name"),
        ErrorCase(text: yaml("kafka: {topics: {boi: 'B O I'}}"), key: "kafka.topics.boi", problem: "is not a Kafka topic name"),
        ErrorCase(text: yaml("kafka: {topics: {deadLetter: BOI}}"), key: "kafka.topics.deadLetter", problem: "'BOI' is already the topic of kafka.topics.boi"),
        ErrorCase(text: yaml("kafka: {group: ''}"), key: "kafka.group", problem: "must not be empty"),
        ErrorCase(text: yaml("kafka: {partitions: 0}"), key: "kafka.partitions", problem: "must be at least 1, found 0"),
    ]

    @Test(arguments: valueCases) func badValuesAreNamed(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }

    @Test func theFirstProblemInFileOrderIsReported() {
        let error = loadError(yaml("http: {port: eighty}\nlease: {duration: never}"))
        #expect(error?.key == "http.port")
    }
}
