import Config
import Domain
import Foundation
import Testing

@Suite("Errors in the mapping section")
struct MappingErrorTests {
    static let department = "  - {table: in_department, bo: Department, externalId: external_id, systemFields: [name]}"
    static let long = String(repeating: "c", count: 64)

    static let cases: [ErrorCase] = [
        ErrorCase(text: yaml(tables: "    []"), key: "mapping.tables", problem: "is empty; map at least one in-table"),
        ErrorCase(
            text: yaml(tables: department + "\n  - {table: in_person, bo: Person, externalId: id, systemFields: [iin]}\n" + department.replacingOccurrences(of: "Department", with: "Unit")),
            key: "mapping.tables[2].table", problem: "'in_department' is already mapped by mapping.tables[0]"),
        ErrorCase(
            text: yaml(tables: department + "\n  - {table: in_contract, bo: Contract, externalId: id, references: [{column: person_id, target: Person}, {column: dep_id, target: Departmnt}]}\n  - {table: in_person, bo: Person, externalId: id, systemFields: [iin]}"),
            key: "mapping.tables[1].references[1].target",
            problem: "unknown BO 'Departmnt' (known: Company, Contract, Department, Person)"),
        ErrorCase(
            text: yaml(tables: "  - {table: in_person, bo: Person, externalId: id, systemFields: [iin], references: [{column: group_id, target: PersonGroup}]}"),
            key: "mapping.tables[0].references[0].target", problem: "unknown BO 'PersonGroup' (known: Company, Person)"),
        ErrorCase(
            text: yaml(tables: "  - {table: in_person, bo: Person, externalId: id}"),
            key: "mapping.tables[0].systemFields", problem: "Person is a system BO: list at least one system field"),
        ErrorCase(
            text: yaml(tables: "  - {table: in_contract, bo: Contract, externalId: id, systemFields: []}", mappingExtra: "systemBOs: [Contract]"),
            key: "mapping.tables[0].systemFields", problem: "Contract is a system BO"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, uniqueKeys: [[code], []]}"),
            key: "mapping.tables[0].uniqueKeys[1]", problem: "is empty; list the fields of the key"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, uniqueKeys: [[code, '']]}"),
            key: "mapping.tables[0].uniqueKeys[0][1]", problem: "must not be empty"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: Person, externalId: id, systemFields: [name, '']}"),
            key: "mapping.tables[0].systemFields[1]", problem: "must not be empty"),
        ErrorCase(text: yaml(tables: "  - {table: '', bo: B, externalId: id}"), key: "mapping.tables[0].table", problem: "must not be empty"),
        ErrorCase(text: yaml(tables: "  - {table: \(long), bo: B, externalId: id}"), key: "mapping.tables[0].table", problem: "is longer than 63 bytes"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: '', externalId: id}"), key: "mapping.tables[0].bo", problem: "must not be empty"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: \(long)}"), key: "mapping.tables[0].externalId", problem: "is longer than 63 bytes"),
        ErrorCase(text: yaml(tables: "  - {table: t, bo: B, externalId: id, removed: ''}"), key: "mapping.tables[0].removed", problem: "must not be empty"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, references: [{column: \(long), target: B}]}"),
            key: "mapping.tables[0].references[0].column", problem: "is longer than 63 bytes"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, catalogs: [{column: '', catalog: k}]}"),
            key: "mapping.tables[0].catalogs[0].column", problem: "must not be empty"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, children: [{table: c, link: \(long)}]}"),
            key: "mapping.tables[0].children[0].link", problem: "is longer than 63 bytes"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, children: [{table: c, link: t_id}]}\n  - {table: u, bo: C, externalId: id, children: [{table: c, link: u_id}]}"),
            key: "mapping.tables[1].children[0].table", problem: "'c' is already listed at mapping.tables[0].children[0]"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, children: [{table: c, link: t_id}, {table: c, link: t_id, field: again}]}"),
            key: "mapping.tables[0].children[1].table", problem: "'c' is already listed at mapping.tables[0].children[0]"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, children: [{table: u, link: t_id}]}\n  - {table: u, bo: C, externalId: id}"),
            key: "mapping.tables[0].children[0].table", problem: "'u' is mapped as a root table by mapping.tables[1]"),
        ErrorCase(
            text: yaml(tables: "  - {table: t, bo: B, externalId: id, references: [{column: a, field: x, target: B}], catalogs: [{column: b, field: x, catalog: k}]}"),
            key: "mapping.tables[0].catalogs[0].field", problem: "'x' is already the field of mapping.tables[0].references[0]"),
        ErrorCase(
            text: yaml(mappingExtra: "refusedBOs: [Company, Person]"),
            key: "mapping.refusedBOs[1]", problem: "'Person' is also listed in mapping.systemBOs"),
        ErrorCase(text: yaml(mappingExtra: "systemBOs: ['']"), key: "mapping.systemBOs[0]", problem: "must not be empty"),
    ]

    @Test(arguments: cases) func mappingProblemsAreNamed(_ errorCase: ErrorCase) {
        expectError(errorCase)
    }

    @Test func aReferenceToARefusedBOIsAccepted() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: yaml(tables: "  - {table: t, bo: Contract, externalId: id, references: [{column: company_id, target: Company}]}"))
        #expect(configuration.mapping.tables[0].references[0].target == "Company")
    }
}
