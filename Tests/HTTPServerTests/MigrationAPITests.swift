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
    static let token = "test-token"

    /// A running API over a real database and broker, reached through real HTTP requests.
    private func withAPI(
        _ body: @escaping @Sendable (any TestClientProtocol, StarterRuntime, MigrationRunner, SampleSource) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create()
        let broker = try EmbeddedBroker(partitions: 2)
        let source = SampleSource(url: database.url)
        var logger = Logger(label: "test.api")
        logger.logLevel = .warning
        do {
            try await source.createTables()
            try await source.generate(people: 30)
            let configuration = try TestConfiguration.make(
                databaseURL: database.url, bootstrapServers: broker.bootstrapServers,
                adjust: { $0.http.token = Self.token })
            let runtime = try await StarterRuntime.start(configuration, logger: logger)
            let runner = MigrationRunner(starter: runtime.starter, logger: logger)
            let router = APIServer.router(
                .init(runner: runner, journal: runtime.journal, database: runtime.store, http: configuration.http))
            let app = Application(router: router, logger: logger)
            do {
                try await app.test(.live) { client in try await body(client, runtime, runner, source) }
            } catch {
                await runner.shutdown()
                await runtime.close()
                throw error
            }
            await runner.shutdown()
            await runtime.close()
        } catch {
            await source.close()
            broker.close()
            await database.drop()
            throw error
        }
        await source.close()
        broker.close()
        await database.drop()
    }

    private var authorized: HTTPFields { [.authorization: "Bearer \(Self.token)"] }

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
