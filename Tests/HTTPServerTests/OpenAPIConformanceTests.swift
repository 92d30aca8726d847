import Domain
import Foundation
import Handshake
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntegrationSupport
import Journal
import Kafka
import NIOCore
import Starter
import Synchronization
import Testing

/// Every endpoint of `docs/openapi.yaml`, called over real HTTP against a service that streamed
/// and consumed a real migration: each answer must be one the document promises, and every
/// answer the document promises must be seen.
@Suite("OpenAPI document against the running API", .serialized, .enabled(if: TestDatabase.isAvailable))
struct OpenAPIConformanceTests {
    /// Records every answer and what the document says about it.
    final class Recorder: Sendable {
        private let state = Mutex<(seen: Set<String>, problems: [String])>(([], []))
        let document: OpenAPIDocument

        var seen: Set<String> { state.withLock { $0.seen } }
        var problems: [String] { state.withLock { $0.problems } }

        init(document: OpenAPIDocument) { self.document = document }

        func call(
            _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, documented path: String,
            headers: HTTPFields = [:], body: String? = nil
        ) async throws -> TestResponse {
            let response = try await client.execute(
                uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            let status = Int(response.status.code)
            let problems = document.problems(
                path: path, method: method.rawValue, status: status, contentType: response.headers[.contentType],
                body: Data(response.body.readableBytesView))
            state.withLock { state in
                state.seen.insert("\(method.rawValue) \(path) \(status)")
                state.problems += problems
            }
            return response
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func everyEndpointAnswersAsDocumented() async throws {
        let recorder = Recorder(document: try OpenAPIDocument.load())
        try await APIFixture.with { client, fixture in
            let auth = fixture.authorized
            // Before the first lag check.
            _ = try await recorder.call(client, .get, "/api/lag", documented: "/api/lag")
            _ = try await recorder.call(client, .post, "/api/migrations", documented: "/api/migrations")
            _ = try await recorder.call(client, .post, "/api/migrations", documented: "/api/migrations", headers: auth)
            _ = try await recorder.call(
                client, .post, "/api/migrations", documented: "/api/migrations", headers: auth,
                body: #"{"operDate":"not a date"}"#)

            let day1 = OperDate(rawValue: "2026-11-20")!
            _ = try await fixture.source.signal(day1)
            let accepted = try await recorder.call(
                client, .post, "/api/migrations", documented: "/api/migrations", headers: auth,
                body: #"{"operDate":"2026-11-20"}"#)
            struct Accepted: Decodable { var migrationId: String }
            let id = try JSONDecoder().decode(Accepted.self, from: Data(accepted.body.readableBytesView)).migrationId
            await fixture.runner.wait(for: MigrationID(rawValue: id))
            try await fixture.pipeline.consumeUntilComplete()

            let day2 = OperDate(rawValue: "2026-11-21")!
            _ = try await fixture.source.signal(day2)
            let holder = try await fixture.runtime.handshake.claim(migrationID: .generate(), lease: .seconds(60))
            guard case .claimed(let claim) = holder else { throw TestSupportError("could not claim day 2") }
            #expect(claim.operDate == day2)
            _ = try await recorder.call(client, .post, "/api/migrations", documented: "/api/migrations", headers: auth)

            _ = try await recorder.call(client, .get, "/api/migrations", documented: "/api/migrations")
            let detail = try await recorder.call(client, .get, "/api/migrations/\(id)", documented: "/api/migrations/{id}")
            #expect(bodyText(detail).contains("\"status\":\"COMPLETE\""))
            _ = try await recorder.call(client, .get, "/api/migrations/mig-unknown", documented: "/api/migrations/{id}")
            let lag = try await recorder.call(client, .get, "/api/lag", documented: "/api/lag")
            #expect(bodyText(lag).contains("\"status\":\"OK\""))
            let rows = try await recorder.call(
                client, .get, "/api/process-tracking?from=2026-11-20&to=2026-11-20", documented: "/api/process-tracking")
            #expect(bodyText(rows).contains("\"safeToClearAt\""))
            _ = try await recorder.call(
                client, .get, "/api/process-tracking?from=yesterday", documented: "/api/process-tracking")
            let metrics = try await recorder.call(client, .get, "/metrics", documented: "/metrics")
            let exposition = bodyText(metrics)
            for name in [
                "inmigration_records_streamed_total", "inmigration_records_consumed_total", "inmigration_consumer_lag",
                "inmigration_parked_references", "inmigration_stage_duration_seconds",
            ] {
                #expect(exposition.contains(name), "\(name) missing from /metrics")
            }
            _ = try await recorder.call(client, .get, "/", documented: "/")
            _ = try await recorder.call(client, .get, "/health", documented: "/health")
            try fixture.broker.cluster.setAllBrokers(up: false)
            let down = try await recorder.call(client, .get, "/health", documented: "/health")
            #expect(bodyText(down).contains("\"database\":\"ok\""))
            try fixture.broker.cluster.setAllBrokers(up: true)
        }
        try await APIFixture.with(protectReads: true) { client, fixture in
            _ = try await recorder.call(client, .get, "/api/migrations", documented: "/api/migrations")
            _ = try await recorder.call(client, .get, "/api/migrations/x", documented: "/api/migrations/{id}")
            _ = try await recorder.call(client, .get, "/api/lag", documented: "/api/lag")
            _ = try await recorder.call(client, .get, "/api/process-tracking", documented: "/api/process-tracking")
            let open = try await recorder.call(client, .get, "/health", documented: "/health")
            #expect(open.status == .ok)
            let authorized = try await recorder.call(
                client, .get, "/api/process-tracking", documented: "/api/process-tracking", headers: fixture.authorized)
            #expect(authorized.status == .ok)
        }
        #expect(recorder.problems == [])
        let missing = recorder.document.operations.subtracting(recorder.seen).sorted()
        #expect(missing == [], "documented answers never seen: \(missing)")
    }

}

private func bodyText(_ response: TestResponse) -> String {
    String(decoding: response.body.readableBytesView, as: UTF8.self)
}
