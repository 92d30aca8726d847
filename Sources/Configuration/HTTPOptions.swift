/// The HTTP API, health, metrics and dashboard listener.
///
/// Bound to the loopback address unless told otherwise, so that a fresh install exposes nothing.
public struct HTTPOptions: Sendable, Hashable {
    /// Override: `INMIGRATION_HTTP_HOST`.
    public var host = "127.0.0.1"
    /// 0 lets the system choose a free port (the service logs the one it got).
    /// Override: `INMIGRATION_HTTP_PORT`.
    public var port = 8080
    /// The bearer token that mutating endpoints require. `nil` makes them refuse every request,
    /// so a service without a token can be watched but not driven. Override: `INMIGRATION_HTTP_TOKEN`.
    public var token: String?
    /// Require the token for read-only endpoints too (`/health` stays open).
    public var protectReads = false

    public init() {}
}
