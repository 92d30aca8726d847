import Config
import Domain
import Testing

@Suite("The example configuration and defaults")
struct ExampleConfigurationTests {
    @Test func exampleFileLoadsWithItsValues() throws {
        let configuration = try ConfigurationLoader.load(file: exampleFile, environment: [:])
        #expect(configuration.file == exampleFile)
        #expect(configuration.source.url == "postgresql://inmigration@127.0.0.1:5432/customer")
        #expect(configuration.source.schema == "public")
        #expect(configuration.source.trackingTable == "process_tracking")
        #expect(configuration.source.readyStatus == "DONE")
        #expect(configuration.store.kind == .postgres)
        #expect(configuration.store.url == nil)
        #expect(configuration.storeURL == configuration.source.url)
        #expect(configuration.store.schema == "inmigration")
        #expect(configuration.kafka.bootstrapServers == nil)
        #expect(configuration.kafka.bootstrapFile == ".inmigration/broker.addr")
        #expect(configuration.kafka.topics.all == ["IN_MIGRATION", "BOI", "IN_MIGRATION_DLQ"])
        #expect(configuration.kafka.group == "in_migration")
        #expect(configuration.kafka.deliveryTimeout == .seconds(120))
        #expect(configuration.kafka.partitions == 8)
        #expect(configuration.kafka.producer.isEmpty && configuration.kafka.consumer.isEmpty)
        #expect(configuration.consumer.lanes == 2 && configuration.consumer.batchSize == 5_000)
        #expect(configuration.source.readers == 2)
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.http.port == 8080)
        #expect(configuration.http.token == "change-me")
        #expect(configuration.http.protectReads == false)
        #expect(configuration.scheduler.pollInterval == .seconds(10))
        #expect(configuration.scheduler.window == nil)
        #expect(configuration.lease.duration == .seconds(60))
        #expect(configuration.lease.effectiveRenewInterval == .seconds(20))
        #expect(configuration.monitor.interval == .seconds(2))
        #expect(configuration.monitor.stalledAfter == .seconds(60))
        #expect(configuration.monitor.history == .seconds(600))
        #expect(configuration.monitor.downstreamGroups == [])
    }

    @Test func exampleMappingIsTheDemoMapping() throws {
        let mapping = try ConfigurationLoader.load(file: exampleFile, environment: [:]).mapping
        #expect(mapping.systemBOs == ["Person", "Department", "PersonGroup"])
        #expect(mapping.refusedBOs == ["Company"])
        #expect(mapping.tables.map(\.table) == ["in_department", "in_person", "in_person_group", "in_contract", "in_company"])
        #expect(mapping.tables.map(\.bo) == ["Department", "Person", "PersonGroup", "Contract", "Company"])

        let department = mapping.tables[0]
        #expect(department.externalId == "external_id")
        #expect(department.removed == "removed")
        #expect(department.references == [ReferenceMapping(column: "parent_external_id", field: "parent", target: "Department")])
        #expect(department.uniqueKeys == [["code"]])
        #expect(department.systemFields == ["name", "code"])

        let person = mapping.tables[1]
        #expect(person.references == [ReferenceMapping(column: "department_external_id", field: "department", target: "Department")])
        #expect(person.children == [ChildTableMapping(table: "in_person_phone", link: "person_external_id", field: "phones")])
        #expect(person.uniqueKeys == [["iin"]])
        #expect(person.systemFields == ["first_name", "last_name", "iin"])

        let group = mapping.tables[2]
        #expect(group.references == [ReferenceMapping(column: "member_external_ids", field: "members", target: "Person", many: true)])
        #expect(group.systemFields == ["name"])
        #expect(group.uniqueKeys == [["code"]])

        let contract = mapping.tables[3]
        #expect(contract.references.map(\.target) == ["Person", "Department"])
        #expect(contract.references.map(\.field) == ["person", "department"])
        #expect(contract.catalogs == [CatalogMapping(column: "status_code", field: "status", catalog: "contract_status")])
        #expect(contract.children == [ChildTableMapping(table: "in_contract_payment", link: "contract_external_id", field: "payments")])
        #expect(contract.uniqueKeys == [["contract_number"]])
        #expect(contract.systemFields.isEmpty)

        let company = mapping.tables[4]
        #expect(company.externalId == "external_id")
        #expect(company.removed == nil)
        #expect(mapping.refusedTables.map(\.table) == ["in_company"])
    }

    @Test func keyPathOfTableNamesItsEntry() throws {
        let configuration = try ConfigurationLoader.load(file: exampleFile, environment: [:])
        #expect(configuration.keyPath(ofTable: "in_contract") == "mapping.tables[3]")
        #expect(configuration.keyPath(ofTable: "in_department") == "mapping.tables[0]")
        #expect(configuration.keyPath(ofTable: "in_contract_payment") == "mapping.tables[3].children[0]")
        #expect(configuration.keyPath(ofTable: "nowhere") == "mapping.tables")
    }

    @Test func omittedKeysKeepTheirDefaults() throws {
        let configuration = try ConfigurationLoader.load(file: fixture("minimal.yaml"), environment: [:])
        let defaults = InMigrationConfiguration(
            source: SourceOptions(url: "postgresql://inmigration@127.0.0.1:5432/customer"),
            mapping: MigrationMapping(
                tables: [TableMapping(table: "in_department", bo: "Department", externalId: "external_id", systemFields: ["name"])]),
            file: try fixture("minimal.yaml"))
        #expect(configuration == defaults)
        #expect(configuration.source.schema == "public")
        #expect(configuration.source.trackingTable == "process_tracking")
        #expect(configuration.source.readyStatus == "DONE")
        #expect(configuration.store.kind == .postgres)
        #expect(configuration.store.schema == "inmigration")
        #expect(configuration.store.mongoURL == nil)
        #expect(configuration.store.mongoDatabase == "inmigration")
        #expect(configuration.kafka.bootstrapServers == nil && configuration.kafka.bootstrapFile == nil)
        #expect(configuration.kafka.topics.inMigration == "IN_MIGRATION")
        #expect(configuration.kafka.topics.boi == "BOI")
        #expect(configuration.kafka.topics.deadLetter == "IN_MIGRATION_DLQ")
        #expect(configuration.kafka.group == "in_migration")
        #expect(configuration.kafka.deliveryTimeout.milliseconds == 120_000)
        #expect(configuration.kafka.partitions == 8)
        #expect(configuration.http.host == "127.0.0.1" && configuration.http.port == 8080)
        #expect(configuration.http.token == nil && !configuration.http.protectReads)
        #expect(configuration.scheduler.pollInterval == .seconds(10) && configuration.scheduler.window == nil)
        #expect(configuration.lease.duration == .seconds(60) && configuration.lease.renewEvery == nil)
        #expect(configuration.monitor == MonitorOptions())
        #expect(configuration.consumer == ConsumerOptions())
        #expect(configuration.mapping.systemBOs == BOCode.systemDefaults)
        #expect(configuration.mapping.refusedBOs == BOCode.refusedDefaults)
    }

    @Test func everyKnobIsRead() throws {
        let text = yaml(
            source: "{url: 'host=db dbname=c', schema: staging, trackingTable: tracking, readyStatus: LOADED, readers: 5}",
            mappingExtra: "systemBOs: [Department]\n  refusedBOs: []",
            """
            store: {kind: mongo, url: 'host=own', schema: own, mongoURL: 'mongodb://m:27017', mongoDatabase: boi}
            kafka:
              bootstrapServers: k1:9092,k2:9092
              bootstrapFile: broker.addr
              topics: {inMigration: A, boi: B, deadLetter: C}
              group: g
              deliveryTimeout: 2m
              partitions: 3
              producer: {compression.type: zstd, linger.ms: 5}
              consumer: {fetch.max.bytes: 1048576}
            http: {host: 0.0.0.0, port: 9000, token: t0k3n, protectReads: true}
            scheduler: {pollInterval: 500ms, window: {start: "22:00", end: "06:30"}}
            lease: {duration: 1h, renewEvery: 90}
            """)
        let configuration = try ConfigurationLoader.load(yaml: text)
        #expect(configuration.file == "<memory>")
        #expect(configuration.source.url == "host=db dbname=c")
        #expect(configuration.source.schema == "staging")
        #expect(configuration.source.trackingTable == "tracking")
        #expect(configuration.source.readyStatus == "LOADED")
        #expect(configuration.source.readers == 5)
        #expect(configuration.store.kind == .mongo)
        #expect(configuration.storeURL == "host=own")
        #expect(configuration.store.schema == "own")
        #expect(configuration.store.mongoURL == "mongodb://m:27017")
        #expect(configuration.store.mongoDatabase == "boi")
        #expect(configuration.kafka.bootstrapServers == "k1:9092,k2:9092")
        #expect(try configuration.resolvedBootstrapServers() == "k1:9092,k2:9092")
        #expect(configuration.kafka.topics.all == ["A", "B", "C"])
        #expect(configuration.kafka.group == "g")
        #expect(configuration.kafka.deliveryTimeout == .seconds(120))
        #expect(configuration.kafka.partitions == 3)
        #expect(configuration.kafka.producer == ["compression.type": "zstd", "linger.ms": "5"])
        #expect(configuration.kafka.consumer == ["fetch.max.bytes": "1048576"])
        #expect(configuration.http.host == "0.0.0.0")
        #expect(configuration.http.port == 9000)
        #expect(configuration.http.token == "t0k3n")
        #expect(configuration.http.protectReads)
        #expect(configuration.scheduler.pollInterval == .milliseconds(500))
        #expect(configuration.scheduler.window == SchedulerOptions.DailyWindow(start: "22:00", end: "06:30"))
        #expect(configuration.lease.duration == .seconds(3600))
        #expect(configuration.lease.effectiveRenewInterval == .seconds(90))
        #expect(configuration.mapping.systemBOs == ["Department"])
        #expect(configuration.mapping.refusedBOs == [])
    }

    @Test func nullValuesCountAsOmitted() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: yaml("http:\n  token: ~\n  port:\nstore:\n  url: null"))
        #expect(configuration.http.token == nil)
        #expect(configuration.http.port == 8080)
        #expect(configuration.store.url == nil)
    }

    @Test func referenceAndChildFieldsDefaultToTheirColumnAndTable() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: yaml(
                tables: """
                      - table: in_department
                        bo: Department
                        externalId: external_id
                        systemFields: [name]
                        references: [{column: parent_id, target: Department}]
                        catalogs: [{column: kind_code, catalog: kinds}]
                        children: [{table: in_department_note, link: department_id}]
                    """))
        let table = configuration.mapping.tables[0]
        #expect(table.references == [ReferenceMapping(column: "parent_id", field: "parent_id", target: "Department")])
        #expect(table.catalogs == [CatalogMapping(column: "kind_code", field: "kind_code", catalog: "kinds")])
        #expect(table.children == [ChildTableMapping(table: "in_department_note", link: "department_id", field: "in_department_note")])
    }
}
