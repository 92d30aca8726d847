import Dispatch
import Logging
import Synchronization

/// One PostgreSQL connection for async code: its blocking libpq calls run on the client's
/// own serial `DispatchQueue`, never on Swift's cooperative thread pool, and one call at a
/// time, in the order they were made.
///
/// Connects lazily on first use. Before each call it checks whether the server closed the
/// connection while it sat idle (a restart, `pg_terminate_backend`, an idle timeout) and, if
/// so, reconnects once with `PQreset`. A connection that breaks during a call fails that
/// call; it is not retried, because the statement may have taken effect.
///
/// For parallelism, make several clients: each has its own connection and queue.
public final class PostgresClient: Sendable {
    private let conninfo: String
    private let logger: Logger
    private let queue: DispatchQueue
    /// Only ever locked on `queue`, so never contended; the lock is what makes the
    /// non-`Sendable` connection's home checkably safe to share.
    private let state = Mutex(State())

    private struct State {
        var connection: PostgresConnection?
        var isClosed = false
    }

    /// - Parameters:
    ///   - conninfo: a `postgresql://` URL or `key=value` pairs; see
    ///     ``PostgresConnection/connect(_:)``. Nothing connects until the first call.
    ///   - logger: receives connects, reconnects and the server's notices.
    public init(conninfo: String, logger: Logger) {
        let info = ConnInfo(conninfo)
        var logger = logger
        logger[metadataKey: PostgresLogKey.target] = "\(info.target)"
        self.conninfo = conninfo
        self.logger = logger
        self.queue = DispatchQueue(label: "inmigration.postgres \(info.target)")
    }

    /// Lends the connection to `body` on the client's queue.
    ///
    /// `body` blocks that queue while it runs, so keep it to database work. Everything it
    /// does happens on one connection, which makes it the place for transactions and COPY.
    /// - Parameter body: runs with exclusive use of the connection; it must not keep it.
    /// - Returns: what `body` returned.
    /// - Throws: `CancellationError` if the task was cancelled before the call started
    ///   (a started call runs to its end), ``PostgresError`` `.clientClosed` after
    ///   ``close()``, `.connectionFailed` if no connection could be made, or what `body` threw.
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try Task.checkCancellation()
        return try await withoutActuallyEscaping(body) { body in
            // `body` may not outlive this call, but the queue's block does (briefly, after
            // resuming): so the block takes `body` out of the box and lets go of it first.
            let box = TakeOnce(body)
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async {
                    let result: Result<T, any Error>
                    do {
                        let body = box.take()
                        result = Result { try self.run(body) }
                    }
                    continuation.resume(with: result)
                }
            }
        }
    }

    /// Runs one statement; see ``PostgresConnection/execute(_:_:)``.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) async throws -> PostgresRows {
        try await withConnection { connection in
            try connection.execute(sql, parameters)
        }
    }

    /// Closes the connection after the calls already queued; later calls throw
    /// `.clientClosed`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.state.withLock { state in
                    state.isClosed = true
                    if state.connection != nil {
                        self.logger.debug("closing PostgreSQL connection")
                    }
                    // The last reference, dropped here on the queue: deinit runs PQfinish.
                    state.connection = nil
                }
                continuation.resume()
            }
        }
    }

    /// The body of every call; runs on `queue` only.
    private func run<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try state.withLock { state in
            guard !state.isClosed else {
                throw PostgresError(code: .clientClosed, message: "the PostgresClient was closed")
            }
            let connection = try usableConnection(&state)
            defer { logNotices(connection.takeNotices()) }
            do {
                return try body(connection)
            } catch {
                if !connection.isHealthy {
                    logger.warning("PostgreSQL connection broke during a call", metadata: [PostgresLogKey.error: "\(error)"])
                }
                throw error
            }
        }
    }

    private func usableConnection(_ state: inout State) throws -> PostgresConnection {
        guard let connection = state.connection else {
            let connection = try PostgresConnection.connect(conninfo)
            logger.debug("connected to PostgreSQL", metadata: [PostgresLogKey.backendPID: "\(connection.backendPID)"])
            state.connection = connection
            return connection
        }
        if !connection.probe() {
            logNotices(connection.takeNotices())
            logger.warning(
                "PostgreSQL connection was closed while idle; reconnecting",
                metadata: [PostgresLogKey.error: "\(connection.lastErrorMessage)"]
            )
            try connection.reset()
            logger.info("reconnected to PostgreSQL", metadata: [PostgresLogKey.backendPID: "\(connection.backendPID)"])
        }
        return connection
    }

    private func logNotices(_ notices: [PostgresNotice]) {
        for notice in notices {
            let level: Logger.Level = ["WARNING", "ERROR", "FATAL", "PANIC"].contains(notice.severity) ? .warning : .debug
            logger.log(level: level, "PostgreSQL \(notice.severity): \(notice.message)", metadata: [
                PostgresLogKey.sqlState: "\(notice.sqlState ?? "")"
            ])
        }
    }
}

/// Holds a value until it is taken, once. Sendable through its lock.
private final class TakeOnce<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    func take() -> Value {
        guard let value = self.value.withLock({ $0.take() }) else {
            preconditionFailure("TakeOnce taken twice")
        }
        return value
    }
}

/// Logger metadata keys of this module, in one namespace.
public enum PostgresLogKey {
    public static let target = "postgres.target"
    public static let backendPID = "postgres.backend_pid"
    public static let sqlState = "postgres.sqlstate"
    public static let error = "postgres.error"
}
