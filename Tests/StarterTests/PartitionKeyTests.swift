import Domain
import Testing

@testable import Starter

@Suite("Which columns key a record's message")
struct PartitionKeyTests {
    private func table(uniqueKeys: [[String]], columns: [String] = ["external_id", "iin", "code"]) -> InTable {
        InTable(
            mapping: TableMapping(table: "in_person", bo: "Person", externalId: "external_id", uniqueKeys: uniqueKeys),
            columns: columns.map { ($0, "text") }, childColumns: [:])
    }

    @Test func aPlainColumn() {
        #expect(table(uniqueKeys: [["iin"]]).partitionKeyColumns == ["iin"])
    }

    @Test func onlyTheFirstUniqueKeyCounts() {
        #expect(table(uniqueKeys: [["code", "iin"], ["iin"]]).partitionKeyColumns == ["code", "iin"])
        #expect(table(uniqueKeys: [["missing"], ["iin"]]).partitionKeyColumns == nil)
    }

    @Test func aFieldWithoutAColumnMeansExternalIdKeys() {
        #expect(table(uniqueKeys: [["iin", "missing"]]).partitionKeyColumns == nil)
    }

    @Test func noUniqueKeyMeansExternalIdKeys() {
        #expect(table(uniqueKeys: []).partitionKeyColumns == nil)
        #expect(table(uniqueKeys: [[]]).partitionKeyColumns == nil)
    }

    @Test func theStatementRendersTheQuotedColumnsLast() {
        let statement = RecordQuery.copyStatement(for: table(uniqueKeys: [["code", "iin"]]), schema: "src")
        let column =
            #"CASE WHEN t."code" IS NOT NULL AND t."iin" IS NOT NULL "#
            + #"THEN json_build_array(t."code", t."iin")::text END"#
        #expect(statement.contains(#", '0', "# + column + #" FROM "src"."in_person" t"#))
        let single = RecordQuery.copyStatement(for: table(uniqueKeys: [["iin"]]), schema: "src")
        #expect(single.contains(#", '0', t."iin"::text FROM "src"."in_person" t"#))
        let plain = RecordQuery.copyStatement(for: table(uniqueKeys: []), schema: "src")
        #expect(plain.contains(#", '0', NULL FROM "src"."in_person" t"#))
    }

    @Test func aShareIsTheRowsWhoseKeyHashesToIt() {
        let whole = RecordQuery.copyStatement(for: table(uniqueKeys: [["iin"]]), schema: "src")
        #expect(!whole.contains("WHERE"))
        let share = RecordQuery.copyStatement(for: table(uniqueKeys: [["iin"]]), schema: "src", share: 1, of: 3)
        #expect(
            share.contains(
                #"FROM "src"."in_person" t WHERE (hashtext(coalesce(t."iin"::text, t."external_id"::text, '')) & 2147483647) % 3 = 1)"#
            ))
    }
}
