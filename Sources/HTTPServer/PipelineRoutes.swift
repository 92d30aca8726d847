import Domain
import Foundation
import Handshake
import Hummingbird
import Monitor
import NIOCore
import Postgres
import Prometheus

/// `/api/lag`, `/api/process-tracking`, `/health` and `/metrics`: what the operator on duty
/// watches besides the migrations themselves.
struct PipelineRoutes {
    let dependencies: APIServer.Dependencies

    func register(on router: Router<BasicRequestContext>) {
        router.get("api/lag", use: lag)
        router.get("api/process-tracking", use: processTracking)
        router.get("health", use: health)
        router.get("metrics", use: metrics)
    }

    /// `GET /api/lag` → the last check of every watched group; 503 before the first one.
    @Sendable func lag(_ request: Request, context: BasicRequestContext) async throws -> LagReport {
        guard let report = dependencies.lag.lastReport else {
            throw HTTPError(.serviceUnavailable, message: "the lag has not been checked yet")
        }
        return report
    }

    /// `GET /api/process-tracking?from=&to=` → the handshake rows with their completion.
    @Sendable func processTracking(_ request: Request, context: BasicRequestContext) async throws -> TrackingRows {
        func date(_ name: String) throws -> OperDate? {
            guard let text = request.uri.queryParameters[name[...]].map(String.init), !text.isEmpty else { return nil }
            guard let date = OperDate(rawValue: text) else {
                throw HTTPError(.badRequest, message: "\(name) must be a date written YYYY-MM-DD, found '\(text)'")
            }
            return date
        }
        return TrackingRows(rows: try await dependencies.handshake.rows(from: try date("from"), to: try date("to")))
    }

    /// `GET /health` → 200 when the database and the broker answer, 503 naming what does not.
    @Sendable func health(_ request: Request, context: BasicRequestContext) async throws -> EditedResponse<HealthResponse> {
        var answer = HealthResponse(status: "ok", database: "ok", broker: "ok")
        do {
            try await dependencies.database.execute("SELECT 1")
        } catch {
            answer.database = "\(error)"
            answer.status = "degraded"
        }
        if let problem = await dependencies.lag.brokerProblem() {
            answer.broker = problem
            answer.status = "degraded"
        }
        return EditedResponse(status: answer.status == "ok" ? .ok : .serviceUnavailable, response: answer)
    }

    /// `GET /metrics` → Prometheus' text format.
    @Sendable func metrics(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var buffer: [UInt8] = []
        dependencies.metrics.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
