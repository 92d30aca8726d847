import Domain
import IntegrationSupport
import PostgresStore
import Store
import Testing

@Suite(.serialized, .enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(2)))
struct UniqueKeyTests {
    @Test func sameKeyTwiceInOneApplyIsADuplicateAndWritesNothing() async throws {
        try await StoreFixture.with { fixture in
            let conflict = try await #require(throws: StoreConflict.self) {
                try await fixture.apply(
                    Sample.creating([Sample.person("P-1", iin: "111"), Sample.person("P-2", iin: "111")]))
            }
            #expect(conflict.kind == .duplicateKey(bo: "Person", fields: ["iin"]))
            #expect(try await fixture.tableCounts().values.allSatisfy { $0 == 0 })
        }
    }

    @Test func keyTakenByAnEarlierBatchIsADuplicate() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.apply(Sample.creating([Sample.contract("C-1", number: "N-1", year: 2024)]))
            let conflict = try await #require(throws: StoreConflict.self) {
                try await fixture.apply(Sample.creating([Sample.contract("C-2", number: "N-1", year: 2024)]))
            }
            #expect(conflict.kind == .duplicateKey(bo: "Contract", fields: ["number", "year"]))
            // Same number, other year; and a person without iin twice (a partial key is no key).
            try await fixture.apply(
                Sample.creating([
                    Sample.contract("C-3", number: "N-1", year: 2025), Sample.person("P-1", iin: nil),
                    Sample.person("P-2", iin: nil),
                ]))
            // The same iin on another BO is no clash either: keys are per BO.
            try await fixture.apply(
                Sample.creating([
                    BOIInstance(
                        boiId: Sample.id("Department", "D-1"), bo: "Department", externalId: "D-1",
                        document: ["iin": .string("111")]),
                    Sample.person("P-3", iin: "111"),
                ]))
        }
    }

    /// Another lane created the instance after this batch looked for it: the batch is retried,
    /// and finds it then.
    @Test func creatingAnInstanceThatAnotherTransactionCreatedIsRetryable() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.apply(Sample.creating([Sample.person("P-1", iin: "111")]))
            let conflict = try await #require(throws: StoreConflict.self) {
                try await fixture.apply(Sample.creating([Sample.person("P-1", iin: "222")]))
            }
            #expect(conflict.kind == .retryable)
            #expect(conflict.message.contains("boi_instance_pkey"))
            #expect(try await fixture.count("SELECT count(*) AS n FROM inmigration.boi_instance") == 1)
        }
    }

    @Test func lookupByUniqueValues() async throws {
        try await StoreFixture.with { fixture in
            let first = Sample.contract("C-1", number: "N-1", year: 2024)
            let second = Sample.contract("C-2", number: "N-2", year: 2024)
            let third = Sample.contract("C-3", number: "N-1", year: 2025)
            try await fixture.apply(Sample.creating([first, second, third, Sample.person("P-1", iin: "111")]))
            try await fixture.store.transaction { transaction in
                let values = [first, third].compactMap { $0.uniqueValues(["number", "year"]) }
                #expect(values == [["N-1", "2024"], ["N-1", "2025"]])
                let found = try transaction.instanceIDs(
                    bo: "Contract", uniqueKey: ["number", "year"], values: values + [["N-9", "2024"], values[0]])
                #expect(found == [first, third].map(\.boiId).sorted())
                let people = try transaction.instanceIDs(bo: "Person", uniqueKey: ["iin"], values: [["111"], ["222"]])
                #expect(people == [Sample.person("P-1", iin: "111").boiId])
                #expect(try transaction.instanceIDs(bo: "Department", uniqueKey: ["iin"], values: [["111"]]).isEmpty)
                #expect(throws: PostgresStoreError.self) {
                    try transaction.instanceIDs(bo: "Contract", uniqueKey: ["number", "year"], values: [["N-1"]])
                }
            }
        }
    }
}
