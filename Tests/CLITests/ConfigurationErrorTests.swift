import Foundation
import Testing

@Suite("inmigration stops on a bad configuration with one clear line")
struct ConfigurationErrorTests {
    private func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anUnknownKeyNamesFileKeyAndProblem() throws {
        let file = try write(
            """
            source:
              url: postgresql://u:secret@127.0.0.1:1/x
            scheduler:
              pollIntervall: 10s
            mapping:
              tables:
                - table: in_person
                  bo: Person
                  externalId: external_id
                  systemFields: [first_name]
            """)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try CLIProcess.run(["run", "--once", "--config", file])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(result.stderr)")
        #expect(result.stderr.contains(file))
        #expect(result.stderr.contains("scheduler.pollIntervall"))
        #expect(result.stderr.contains("unknown key"))
        #expect(!result.stderr.contains("secret"))
    }

    @Test func aReferenceToAnUnknownBO() throws {
        let file = try write(
            """
            source:
              url: postgresql://127.0.0.1:1/x
            mapping:
              tables:
                - table: in_contract
                  bo: Contract
                  externalId: external_id
                  references:
                    - column: person_external_id
                      target: Persn
            """)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try CLIProcess.run(["status", "--config", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file): mapping.tables[0].references[0].target:"))
        #expect(result.stderr.contains("Persn"))
    }

    @Test func aMissingFile() throws {
        let result = try CLIProcess.run(["run", "--once", "--config", "/nonexistent/inmigration.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/inmigration.yaml"))
    }
}
