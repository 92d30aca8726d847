import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The operator's dashboard: one HTML page at `GET /` (and `GET /dashboard`).
///
/// Why a page served by the service itself: the operator on duty needs one place that shows the
/// handshake rows and when each load became safe to clear, the running migration's progress per
/// in-table and stage, the consumer lag and the errors — on a production network that often
/// reaches nothing but this service. So the page is a single file with its style and script
/// inline (no CDN, no font, no framework), shipped as a resource of this module, and it reads the
/// same JSON API as any other client (`docs/openapi.yaml`), from the origin that served it.
///
/// The page is read once from the bundle, on first use, and served from memory. It is always
/// open (the bearer-token check covers `/api` only); when the API asks for a token, the page
/// asks the operator for it.
struct DashboardRoute {
    /// The page, or why it is missing (a packaging error, answered with 500 rather than a crash).
    static let page: Result<ByteBuffer, DashboardMissing> = {
        guard let url = Bundle.module.url(forResource: "dashboard", withExtension: "html") else {
            return .failure(DashboardMissing(reason: "dashboard.html is not in the HTTPServer resource bundle"))
        }
        do {
            return .success(ByteBuffer(bytes: try Data(contentsOf: url)))
        } catch {
            return .failure(DashboardMissing(reason: "cannot read \(url.path): \(error)"))
        }
    }()

    struct DashboardMissing: Error {
        var reason: String
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/", use: serve)
        router.get("dashboard", use: serve)
    }

    @Sendable func serve<Context: RequestContext>(_ request: Request, context: Context) throws -> Response {
        switch Self.page {
        case .success(let page):
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: page))
        case .failure(let missing):
            throw HTTPError(.internalServerError, message: missing.reason)
        }
    }
}
