import Domain
import Foundation
import Testing

@Suite("Domain value types")
struct ValueTypeTests {
    @Test(arguments: ["2026-11-21", "2024-02-29", "2000-02-29", "1999-12-31"])
    func acceptsRealDates(_ text: String) {
        #expect(OperDate(rawValue: text)?.rawValue == text)
    }

    @Test(arguments: [
        "2026-13-01", "2026-02-29", "1900-02-29", "2026-04-31", "26-01-01", "2026-1-01", "", "2026-01-01T00:00",
        "2026-00-10", "2026-01-00", "+026-01-01", "2026-0a-01", "2026/01/01", "２０２６-01-01",
    ])
    func rejectsAnythingElse(_ text: String) {
        #expect(OperDate(rawValue: text) == nil)
    }

    @Test func operDateDecodingNamesTheBadValue() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([OperDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }

    @Test func migrationIdsAreUniqueAndShaped() {
        let ids = (0..<1000).map { _ in MigrationID.generate().rawValue }
        #expect(Set(ids).count == 1000)
        for id in ids.prefix(20) {
            #expect(id.hasPrefix("mig-"))
            #expect(id.count == 4 + 36)
        }
    }

    @Test func jsonTextEscapesControlCharacters() {
        #expect(JSONText.string("a\tb\u{1F}") == #""a\tb\u001f""#)
        #expect(JSONText.string("plain") == #""plain""#)
    }

    @Test func mappingSeparatesRefusedTables() {
        let mapping = MigrationMapping(tables: [
            TableMapping(table: "in_person", bo: "Person", externalId: "id"),
            TableMapping(table: "in_company", bo: "Company", externalId: "id"),
        ])
        #expect(mapping.migratedTables.map(\.table) == ["in_person"])
        #expect(mapping.refusedTables.map(\.table) == ["in_company"])
        #expect(mapping.isSystem("Person"))
        #expect(mapping.knownBOs.contains("Company"))
    }

    /// Ids hash by their length and last eight bytes: equal ids are found, and ids alike in those
    /// but not in front, or shorter than eight bytes, are still told apart.
    @Test func idsAreFoundByTheirHashWhateverTheyShare() {
        let derived = (0..<2000).map { BoiID.derived(from: BOKey(bo: "Person", externalId: "P-\($0)")) }
        let alike = (0..<200).map { BoiID(rawValue: "prefix-\($0)-same-tail") }
        let short = ["", "a", "ab", "abcdefg", "abcdefgh", "bbcdefgh"].map(BoiID.init(rawValue:))
        let all = derived + alike + short
        let set = Set(all)
        #expect(set.count == all.count)
        for id in all { #expect(set.contains(BoiID(rawValue: String(decoding: Array(id.rawValue.utf8), as: UTF8.self)))) }
        #expect(!set.contains(BoiID(rawValue: "prefix-200-same-tail")))
        #expect(!set.contains(BoiID(rawValue: "abcdef")))
    }

    /// Keys hash by their externalId and the length of their BO code: keys of one externalId
    /// under codes of the same length are still told apart.
    @Test func keysAreFoundByTheirHashWhateverTheyShare() {
        let bos: [BOCode] = ["Person", "Persoo", "Department", "X", ""]
        let keys = bos.flatMap { bo in (0..<300).map { BOKey(bo: bo, externalId: "E-\($0 % 150)-\($0)") } }
        let set = Set(keys)
        #expect(set.count == keys.count)
        for key in keys { #expect(set.contains(BOKey(bo: BOCode(String(key.bo.rawValue)), externalId: key.externalId))) }
        #expect(!set.contains(BOKey(bo: "Persom", externalId: "E-0-0")))
    }
}
