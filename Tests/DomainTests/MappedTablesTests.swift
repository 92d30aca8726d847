import Testing

@testable import Domain

/// The assembler finds a record's table by name whether the mapping has a few tables (compared
/// one by one) or many (hashed), and of a table named twice it keeps the first, as the mapping
/// did before.
@Suite("Mapped tables by name")
struct MappedTablesTests {
    @Test(arguments: [1, 8, 9, 50])
    func everyTableIsFoundAndOnlyThose(_ count: Int) {
        let mappings = (0..<count).map { TableMapping(table: "in_t\($0)", bo: BOCode("B\($0)"), externalId: "id") }
        let again = TableMapping(table: "in_t0", bo: "Other", externalId: "other_id")
        let tables = MappedTables(mappings + [again], uniqueKeys: [])
        for index in 0..<count {
            #expect(tables["in_t\(index)"]?.bo == BOCode("B\(index)"))
        }
        #expect(tables["in_t0"]?.externalId == "id")
        #expect(tables["in_t\(count)"] == nil)
        #expect(tables[""] == nil)
    }
}
