import HTTPTypes
import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>` — for every mutating request,
/// and for reads too when the configuration asks for it.
///
/// With no token configured, protected requests are refused: an open trigger on production data
/// is never the default.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let protectReads: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard needsToken(request) else { return try await next(request, context) }
        guard let token, !token.isEmpty else {
            throw HTTPError(.unauthorized, message: "no API token is configured (http.token / INMIGRATION_HTTP_TOKEN)")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.constantTimeEquals(Array(header.utf8.dropFirst(7)), Array(token.utf8))
        else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "a valid bearer token is required")
        }
        return try await next(request, context)
    }

    private func needsToken(_ request: Request) -> Bool {
        switch request.method {
        case .get, .head, .options:
            return protectReads && request.uri.path.hasPrefix("/api")
        default:
            return true
        }
    }

    /// Compares without an early exit, so the time taken does not tell how much of a guess matched.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
