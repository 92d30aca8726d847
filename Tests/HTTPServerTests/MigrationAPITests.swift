import Config
import Domain
import Foundation
import HTTPServer
import Handshake
import Hummingbird
import HTTPTypes
import NIOCore
import HummingbirdTesting
import IntegrationSupport
import Journal
import Logging
import Starter
import Testing

@Suite("REST trigger and progress", .serialized, .enabled(if: TestDatabase.isAvailable))
struct MigrationAPITests {
    private func withAPI(
        _ body: @escaping @Sendable (any TestClientProtocol, StarterRuntime, MigrationRunner, SampleSource) async throws -> Void
    ) async throws {
        try await APIFixture.with { client, fixture in
            try await body(client, fixture.runtime, fixture.runner, fixture.source)
        }
    }

    private var authorized: HTTPFields { [.authorization: "Bearer \(APIFixture.token)"] }

    @Test(.timeLimit(.minutes(1)))
    func triggeringNeedsTheToken() async throws {
        try await withAPI { client, _, _, source in
            try await source.signal(.init(rawValue: "2026-11-20")!)
            try await client.execute(uri: "/api/migrations", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/migrations", method: .post, headers: [.authorization: "Bearer wrong"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
            // Reads are open unless http.protectReads says otherwise.
            try await client.execute(uri: "/api/migrations", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func acceptedThenProgressPerTable() async throws {
        try await withAPI { client, runtime, runner, source in
            try await source.signal(.init(rawValue: "2026-11-20")!)
            let accepted = try await client.execute(
                uri: "/api/migrations", method: .post, headers: authorized,
                body: ByteBuffer(string: #"{"operDate":"2026-11-20"}"#))
            #expect(accepted.status == .accepted)
            struct Accepted: Decodable { var migrationId: String; var operDate: String; var status: String }
            let answer = try JSONDecoder().decode(Accepted.self, from: Data(accepted.body.readableBytesView))
            #expect(answer.operDate == "2026-11-20")
            await runner.wait(for: MigrationID(rawValue: answer.migrationId))

            let progress = try await client.execute(uri: "/api/migrations/\(answer.migrationId)", method: .get)
            #expect(progress.status == .ok)
            let report = try JSONDecoder().decode(MigrationReport.self, from: Data(progress.body.readableBytesView))
            #expect(report.status == "STREAMED")
            #expect(report.tables.map(\.table) == runtime.configuration.mapping.tables.map(\.table))
            #expect(report.tables.first { $0.table == "in_person" }?.rowsStreamed == 30)

            try await client.execute(uri: "/api/migrations/mig-unknown", method: .get) { response in
                #expect(response.status == .notFound)
            }
            // That day is done: nothing is ready any more.
            try await client.execute(uri: "/api/migrations", method: .post, headers: authorized) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func conflictWhileAnotherMigrationHoldsTheRow() async throws {
        try await withAPI { client, runtime, _, source in
            try await source.signal(.init(rawValue: "2026-11-20")!)
            guard case .claimed(let holder) = try await runtime.handshake.claim(migrationID: .generate(), lease: .seconds(60))
            else { throw TestSupportError("could not claim") }
            try await client.execute(uri: "/api/migrations", method: .post, headers: authorized) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains(holder.migrationID.rawValue))
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func notFoundWhenNothingIsReadyAndBadRequestForABadBody() async throws {
        try await withAPI { client, _, _, _ in
            try await client.execute(uri: "/api/migrations", method: .post, headers: authorized) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/api/migrations", method: .post, headers: authorized,
                body: ByteBuffer(string: #"{"operDate":"2026-02-30"}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
