import Domain
import Foundation
import Testing

/// A small mapping like the demo's, and shorthand for records.
enum AssemblerFixture {
    static let mapping = MigrationMapping(tables: [
        TableMapping(
            table: "in_department", bo: "Department", externalId: "external_id", removed: "removed",
            references: [ReferenceMapping(column: "parent_external_id", field: "parent", target: "Department")],
            uniqueKeys: [["code"]], systemFields: ["name", "code"]),
        TableMapping(
            table: "in_person", bo: "Person", externalId: "external_id", removed: "removed",
            references: [ReferenceMapping(column: "department_external_id", field: "department", target: "Department")],
            children: [ChildTableMapping(table: "in_person_phone", link: "person_external_id", field: "phones")],
            uniqueKeys: [["iin"]], systemFields: ["first_name", "last_name", "iin"]),
        TableMapping(
            table: "in_person_group", bo: "PersonGroup", externalId: "external_id", removed: "removed",
            references: [ReferenceMapping(column: "member_external_ids", field: "members", target: "Person", many: true)],
            systemFields: ["name"]),
        TableMapping(
            table: "in_contract", bo: "Contract", externalId: "external_id", removed: "removed",
            references: [
                ReferenceMapping(column: "person_external_id", field: "person", target: "Person"),
                ReferenceMapping(column: "company_external_id", field: "company", target: "Company"),
            ],
            catalogs: [CatalogMapping(column: "status_code", field: "status", catalog: "contract_status")]),
        TableMapping(table: "in_company", bo: "Company", externalId: "external_id"),
    ])

    static let migration = MigrationID(rawValue: "mig-test")
    static let day = OperDate(rawValue: "2026-11-20")!

    static let tables: [String: BOCode] = [
        "in_department": "Department", "in_person": "Person", "in_person_group": "PersonGroup",
        "in_contract": "Contract", "in_company": "Company",
    ]

    static func record(
        _ table: String, _ externalId: String?, _ row: JSONObject, children: ChildRows? = nil
    ) -> RecordMessage {
        var full = row
        full["external_id"] = externalId.map(JSONValue.string) ?? .null
        return RecordMessage(
            migrationId: migration, operDate: day, bo: tables[table] ?? "Unknown", table: table, externalId: externalId,
            row: full, children: children)
    }

    static func person(_ id: String, iin: String, department: String? = nil, name: String = "Ann") -> RecordMessage {
        record(
            "in_person", id,
            [
                "first_name": .string(name), "last_name": .string("Lee"), "iin": .string(iin),
                "department_external_id": department.map(JSONValue.string) ?? .null, "removed": .bool(false),
            ])
    }

    static func department(_ id: String, code: String, parent: String? = nil) -> RecordMessage {
        record(
            "in_department", id,
            [
                "code": .string(code), "name": .string("Dept \(code)"),
                "parent_external_id": parent.map(JSONValue.string) ?? .null, "removed": .bool(false),
            ])
    }

    /// Applies records in order to a set (nothing preloaded: an empty store).
    static func run(_ records: [RecordMessage], into set: inout WorkingSet, assembler: Assembler = Assembler(mapping: mapping)) {
        for record in records {
            assembler.apply(record, raw: Array("{}".utf8), to: &set)
        }
    }

    /// Applies records as the consumer reads them: each written as a message, parsed, and applied
    /// with what the parser saw of its strings.
    static func runAsRead(
        _ records: [RecordMessage], into set: inout WorkingSet, assembler: Assembler = Assembler(mapping: mapping)
    ) throws {
        var shapes = JSONShapes()
        for record in records {
            let raw = Array(try JSONEncoder().encode(record))
            let (members, texts) = try #require(try JSONParser.parseMembersSummarized(raw, shapes: &shapes))
            guard case .record(let read) = try InMigrationMessage(members: members) else {
                Issue.record("\(record) was not read back as a record")
                continue
            }
            assembler.apply(read, raw: raw, texts: texts, to: &set)
        }
    }

    static func id(_ bo: BOCode, _ externalId: String) -> BoiID {
        BoiID.derived(from: BOKey(bo: bo, externalId: externalId))
    }
}

extension WorkingSet {
    func instance(_ bo: BOCode, _ externalId: String) -> BOIInstance? {
        boiIDs[BOKey(bo: bo, externalId: externalId)].flatMap { instances[$0] }
    }

    func total(_ table: String) -> ConsumeStats {
        stats[StatsKey(migrationID: AssemblerFixture.migration, table: table)] ?? ConsumeStats()
    }
}
