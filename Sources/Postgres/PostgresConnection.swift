import CLibPQ

/// One libpq connection, owning its `PGconn` (closed with `PQfinish` in `deinit`).
///
/// Every call blocks its thread until the server answers, which is why this type is not
/// `Sendable`: libpq allows one thread at a time on a connection. Async code gets one lent
/// by ``PostgresClient``, which runs the blocking calls on its own serial queue.
public final class PostgresConnection {
    /// The `PGconn *`. Never nil; lent to the rest of this module only, never escaping it.
    let pointer: OpaquePointer
    let connInfo: ConnInfo
    private let notices: NoticeBuffer

    private init(pointer: OpaquePointer, connInfo: ConnInfo, notices: NoticeBuffer) {
        self.pointer = pointer
        self.connInfo = connInfo
        self.notices = notices
    }

    deinit {
        PQfinish(pointer)
    }

    /// Opens a connection, blocking until it is established or has failed.
    ///
    /// The session always uses `client_encoding` UTF8 (results are decoded as UTF-8) and names
    /// itself `inmigration` unless the conninfo sets `application_name`. `connect_timeout`
    /// defaults to 10 seconds. The session is set up with ``sessionSettings``, whatever the role
    /// or the database sets.
    /// - Parameter conninfo: a `postgresql://` URL, `key=value` pairs, or a database name.
    /// - Throws: ``PostgresError`` `.connectionFailed`, whose text names the target without
    ///   its password; `.invalidArgument` for a conninfo with a NUL character.
    public static func connect(_ conninfo: String) throws -> PostgresConnection {
        guard !conninfo.containsNUL else {
            throw PostgresError(code: .invalidArgument, message: "conninfo contains a NUL character")
        }
        let info = ConnInfo(conninfo)
        if let parseError = info.parseError {
            throw PostgresError(code: .connectionFailed, message: "invalid conninfo: \(parseError)")
        }
        // Later keywords override the expanded conninfo, earlier ones are defaults for it.
        let settings: [(String, String)] = [
            ("connect_timeout", "10"),
            ("dbname", conninfo),
            ("client_encoding", "UTF8"),
            ("fallback_application_name", "inmigration"),
        ]
        let keywords: [String?] = settings.map(\.0) + [nil]
        let values: [String?] = settings.map(\.1) + [nil]
        let connection = withCStringPointers(keywords) { keywords in
            withCStringPointers(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let pointer = connection else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(pointer) == CONNECTION_OK else {
            let reason = info.scrub(PostgresError.connectionMessage(pointer))
            PQfinish(pointer)
            throw PostgresError(code: .connectionFailed, message: "could not connect to \(info.target): \(reason)")
        }
        let notices = NoticeBuffer()
        PQsetNoticeReceiver(
            pointer,
            { context, result in
                guard let context, let result else { return }
                Unmanaged<NoticeBuffer>.fromOpaque(context).takeUnretainedValue().append(result: result)
            },
            Unmanaged.passUnretained(notices).toOpaque()
        )
        let opened = PostgresConnection(pointer: pointer, connInfo: info, notices: notices)
        do {
            try opened.execute(sessionSettings)
        } catch {
            throw PostgresError(
                code: .connectionFailed, message: "could not set up the session on \(info.target): \(error)")
        }
        return opened
    }

    /// The settings the product's SQL is written for, pinned because a role, a database or the
    /// server may set them otherwise. How values are written as text: dates are read back as ISO
    /// (`oper_date::text` in `DateStyle` `German` is `20.11.2026`), and the customer's rows are
    /// rendered as JSON in these formats (with `extra_float_digits = 0` a float loses its last
    /// digits; intervals and bytea take other shapes). These are PostgreSQL's defaults, but for
    /// `extra_float_digits`: 3 writes every float exactly on every version (since 12, any value
    /// above 0 writes the shortest exact form). And transactions are read committed: the store
    /// reads, then locks in one order and reads again; under a default of `serializable` its
    /// lanes would sacrifice each other's work, and a claim could fail with a serialization
    /// error where read committed checks the row again.
    /// A transaction that needs another level says so (the snapshot's reads).
    static let sessionSettings = """
        SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; \
        SET bytea_output = 'hex'; SET default_transaction_isolation = 'read committed'
        """

    /// True while libpq considers the connection established (`PQstatus == CONNECTION_OK`).
    ///
    /// libpq notices a server that went away only when it next reads from the socket, so
    /// this can be true for a dead connection; see ``PostgresClient`` for the check it runs.
    public var isHealthy: Bool {
        PQstatus(pointer) == CONNECTION_OK
    }

    /// Reads whatever the server sent while the connection was idle, then reports health.
    /// A server that closed the connection is noticed here, without sending a query.
    ///
    /// The socket is non-blocking inside libpq, so each read returns at once. A server that
    /// ends a session first sends its reason (a FATAL message) and then closes; one read may
    /// return just the message, the next one sees the close.
    func probe() -> Bool {
        for _ in 0..<2 {
            guard PQstatus(pointer) == CONNECTION_OK, PQconsumeInput(pointer) == 1 else { break }
        }
        return PQstatus(pointer) == CONNECTION_OK
    }

    /// libpq's last error text for this connection (password scrubbed), for logs.
    var lastErrorMessage: String {
        connInfo.scrub(PostgresError.connectionMessage(pointer))
    }

    /// Closes the connection and opens it again with the same parameters (`PQreset`).
    /// - Throws: ``PostgresError`` `.connectionFailed` when the new connection fails.
    public func reset() throws {
        PQreset(pointer)
        guard PQstatus(pointer) == CONNECTION_OK else {
            let reason = connInfo.scrub(PostgresError.connectionMessage(pointer))
            throw PostgresError(code: .connectionFailed, message: "could not reconnect to \(connInfo.target): \(reason)")
        }
    }

    /// The server's process id for this session (`pg_backend_pid()`), for logs and cancels.
    public var backendPID: Int {
        Int(PQbackendPID(pointer))
    }

    /// The server version as an integer, e.g. 150018 for 15.18.
    public var serverVersion: Int {
        Int(PQserverVersion(pointer))
    }

    /// `user@host:port/dbname` of this connection, without the password, for logs.
    public var target: String {
        connInfo.target
    }

    /// Returns and forgets the notices and warnings the server sent since the last call.
    /// Without this, libpq would print them to standard error.
    public func takeNotices() -> [PostgresNotice] {
        notices.take()
    }
}
