import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Gives every error answer the one body the API documents, `{"error": "…"}`, whether a route
/// threw it or the token check did (Hummingbird's own shape nests the message one level deeper).
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.body ?? error.status.reasonPhrase
            var headers = error.headers
            headers[.contentType] = "application/json; charset=utf-8"
            let body = try JSONEncoder().encode(["error": message])
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
