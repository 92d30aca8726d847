import Domain
import Foundation
import Handshake
import Hummingbird
import Journal
import NIOCore
import Starter
import Store

/// `/api/migrations`: trigger a migration, list them, follow one.
struct MigrationRoutes {
    let dependencies: APIServer.Dependencies

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post(use: trigger)
        group.get(use: list)
        group.get(":id", use: show)
    }

    /// `POST /api/migrations` → 202 with the migration id; 409 while the row is being migrated;
    /// 404 when nothing is ready; 400 for a malformed body.
    @Sendable func trigger(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        var operDate: OperDate?
        if body.readableBytes > 0 {
            do {
                operDate = try JSONDecoder().decode(TriggerRequest.self, from: Data(body.readableBytesView)).operDate
            } catch {
                throw HTTPError(.badRequest, message: "body must be {\"operDate\": \"YYYY-MM-DD\"} or empty: \(error)")
            }
        }
        switch try await dependencies.runner.trigger(operDate: operDate) {
        case .started(let claim):
            let answer = TriggerResponse(
                migrationId: claim.migrationID, trackingId: claim.trackingID, operDate: claim.operDate,
                takeoverOf: claim.takeoverOf, status: "STREAMING")
            return try EditedResponse(status: .accepted, response: answer).response(from: request, context: context)
        case .busy(let row):
            let answer = ErrorResponse(
                error: "oper_date \(row.operDate) is being migrated by a live migration",
                migrationId: row.occupiedByProcess, operDate: OperDate(rawValue: row.operDate))
            return try EditedResponse(status: .conflict, response: answer).response(from: request, context: context)
        case .nothingReady:
            let what = operDate.map { "oper_date \($0) is not ready (or already streamed)" } ?? "no oper_date is ready"
            let answer = ErrorResponse(error: what, migrationId: nil, operDate: operDate)
            return try EditedResponse(status: .notFound, response: answer).response(from: request, context: context)
        }
    }

    /// `GET /api/migrations` → the most recent migrations.
    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> MigrationList {
        let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
        return MigrationList(migrations: try await dependencies.journal.recentMigrations(limit: min(max(limit, 1), 500)))
    }

    /// `GET /api/migrations/{id}` → progress per in-table and stage, counts, errors, dangling references.
    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> MigrationDetail {
        let id = MigrationID(rawValue: try context.parameters.require("id"))
        guard let report = try await dependencies.journal.report(id) else {
            throw HTTPError(.notFound, message: "no migration \(id)")
        }
        return MigrationDetail(report: report, consume: .init(try await dependencies.store.consumeReport(id)))
    }
}
