import Config
import Foundation
import Hummingbird
import Journal
import Logging
import Postgres
import Starter

/// The HTTP API: the REST trigger and the migrations' progress under `/api`, and `/health`.
public enum APIServer {
    /// What the routes need.
    public struct Dependencies: Sendable {
        public var runner: MigrationRunner
        public var journal: Journal
        public var database: PostgresClient
        public var http: HTTPOptions

        public init(runner: MigrationRunner, journal: Journal, database: PostgresClient, http: HTTPOptions) {
            self.runner = runner
            self.journal = journal
            self.database = database
            self.http = http
        }
    }

    /// The router with every route and the token check.
    public static func router(_ dependencies: Dependencies) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: BearerTokenMiddleware(token: dependencies.http.token, protectReads: dependencies.http.protectReads))
        MigrationRoutes(dependencies: dependencies).register(on: router.group("api/migrations"))
        router.get("health") { _, _ -> EditedResponse<HealthResponse> in
            do {
                try await dependencies.database.execute("SELECT 1")
                return EditedResponse(status: .ok, response: HealthResponse(status: "ok", database: "ok"))
            } catch {
                return EditedResponse(
                    status: .serviceUnavailable, response: HealthResponse(status: "degraded", database: "\(error)"))
            }
        }
        return router
    }

    /// The application listening on the configured host and port.
    public static func application(
        _ dependencies: Dependencies, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(dependencies),
            configuration: .init(
                address: .hostname(dependencies.http.host, port: dependencies.http.port), serverName: "inmigration"),
            logger: logger
        )
    }
}
