@testable import Consumer
import Domain
import IntegrationSupport
import Kafka
import Postgres
import Testing

/// A new instance's stored document is written from the text of its creation event's changes,
/// unless a later record of the same batch changed the instance again: then the store gets the
/// document as the batch left it.
@Suite("Consumer: documents of instances created in a batch", .serialized, .enabled(if: TestDatabase.isAvailable))
struct CreatedDocumentTests {
    @Test(.timeLimit(.minutes(2)))
    func aDocumentChangedLaterInItsBatchIsStoredAsTheBatchLeftIt() async throws {
        try await PipelineFixture.with(partitions: 1) { fixture in
            let people = BatchSplitTests.encoder
            let departments = BatchSplitTests.departments
            let batch = [
                // Waits for D-9, which comes later in the batch and fills its department.
                BatchSplitTests.message(
                    people, "P-1", row: #"{"first_name":"A","last_name":"L","iin":"1","department_external_id":"D-9"}"#,
                    offset: 0),
                // Created, then renamed by its second record.
                BatchSplitTests.message(
                    people, "P-2", row: #"{"first_name":"B","last_name":"L","iin":"2","department_external_id":null}"#,
                    offset: 1),
                // Created and left alone: its department stays null.
                BatchSplitTests.message(
                    people, "P-3", row: #"{"first_name":"C","last_name":"L","iin":"3","department_external_id":null}"#,
                    offset: 2),
                BatchSplitTests.message(
                    people, "P-2", row: #"{"first_name":"B2","last_name":"L","iin":"2","department_external_id":null}"#,
                    offset: 3),
                BatchSplitTests.message(departments, "D-9", row: #"{"name":"Nine","code":"N"}"#, offset: 4),
            ]
            let runtime = try fixture.consumer()
            let outcome = try await runtime.consumer.processor.process(batch)
            #expect(outcome.records == 5 && outcome.remainder.isEmpty)

            let nine = try #require(try await fixture.instance("Department", "D-9"))
            let first = try #require(try await fixture.instance("Person", "P-1"))
            #expect(first.document["department"] == .string(nine.boiId))
            #expect(first.document["first_name"] == .string("A"))
            let second = try #require(try await fixture.instance("Person", "P-2"))
            #expect(second.document["first_name"] == .string("B2"))
            #expect(second.document["department"] == .null)
            let third = try #require(try await fixture.instance("Person", "P-3"))
            #expect(
                third.document == [
                    "first_name": .string("C"), "last_name": .string("L"), "iin": .string("3"), "department": .null,
                    "phones": .array([]),
                ])
            #expect(nine.document == ["name": .string("Nine"), "code": .string("N"), "parent": .null])
            await runtime.close()
        }
    }
}
