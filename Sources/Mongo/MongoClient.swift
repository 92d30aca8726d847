import CMongoC
import Logging

/// A connection to a MongoDB deployment, shared by every task of the process.
///
/// It owns one `mongoc_client_pool_t`. A single `mongoc_client_t` is not
/// thread-safe, but the pool is: each operation pops a client, uses it on the
/// calling thread only, and pushes it back before returning, so any number of
/// threads may use one `MongoClient` at once (up to the URI's `maxPoolSize`,
/// default 100, after which callers wait for a free client).
///
/// **Every operation blocks** the calling thread for the network round trip
/// (and, when no server answers, for up to `serverSelectionTimeoutMS`,
/// 30 s unless the URI says otherwise). Callers run them on a dedicated thread
/// or thread pool, never on Swift's cooperative pool.
///
/// Server errors use libmongoc's error API version 2, so a server's code
/// (such as 11000, duplicate key) arrives unchanged in `MongoError.code`.
public final class MongoClient: @unchecked Sendable {
    // @unchecked: the only stored state is immutable (`let`); the pool handle is
    // documented by libmongoc as thread-safe, and the clients it hands out never
    // leave the thread that popped them (see `withClient`).
    private let pool: OpaquePointer
    private let logger: Logger

    /// Parses the connection string and creates the client pool. No network
    /// traffic happens here; the first operation connects.
    ///
    /// - Parameters:
    ///   - uri: a `mongodb://` or `mongodb+srv://` connection string. The
    ///     application name defaults to `inmigration` unless the URI sets `appname`.
    ///   - logger: where this client logs; libmongoc's own log lines go to the
    ///     `inmigration.mongo.libmongoc` logger.
    /// - Throws: `MongoError` when the URI is invalid. Its message is libmongoc's
    ///   (e.g. "Invalid host string in URI"); this bridge never adds the URI,
    ///   which may hold a password.
    public init(uri: String, logger: Logger) throws(MongoError) {
        MongoRuntime.ensureInitialized()
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            throw MongoError(error, operation: "parse the MongoDB connection URI")
        }
        defer { mongoc_uri_destroy(parsed) }
        if mongoc_uri_get_appname(parsed) == nil {
            _ = mongoc_uri_set_appname(parsed, "inmigration")
        }
        guard let pool = mongoc_client_pool_new_with_error(parsed, &error) else {
            throw MongoError(error, operation: "create the MongoDB client pool")
        }
        guard mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2) else {
            mongoc_client_pool_destroy(pool)
            throw MongoError(
                domain: MongoError.clientDomain, code: MONGOC_ERROR_POOL_API_TOO_LATE.rawValue,
                message: "libmongoc refused error API version 2", operation: "create the MongoDB client pool"
            )
        }
        self.pool = pool
        self.logger = logger
        logger.debug("MongoDB client pool created")
    }

    deinit {
        mongoc_client_pool_destroy(pool)
        logger.debug("MongoDB client pool closed")
    }

    /// Checks that the deployment answers, with the `ping` command sent to the
    /// primary (the store writes, so a reachable primary is what matters). **Blocking.**
    ///
    /// - Parameter database: the database to run `ping` against (any name works).
    /// - Throws: `MongoError`; `isConnectionFailure` is true when no server
    ///   could be selected within `serverSelectionTimeoutMS`.
    public func ping(database: String) throws(MongoError) {
        let command = try BSONDocument(json: #"{"ping": 1}"#)
        try runCommand(command, database: database, operation: "ping \(database)")
    }

    /// A handle on one collection. Creating it does no I/O.
    public func collection(_ database: String, _ name: String) -> MongoCollection {
        MongoCollection(client: self, database: database, name: name)
    }

    /// Runs a command that may write, on the primary. **Blocking.**
    func runCommand(_ command: BSONDocument, database: String, operation: String) throws(MongoError) {
        try withClient { client throws(MongoError) in
            try command.withBSONPointer { bson throws(MongoError) in
                var error = bson_error_t()
                guard mongoc_client_write_command_with_opts(client, database, bson, nil, nil, &error) else {
                    throw MongoError(error, operation: operation)
                }
            }
        }
    }

    /// Lends a pooled `mongoc_client_t` to `body` on the calling thread and
    /// returns it to the pool afterwards. Do not let the pointer escape `body`.
    /// Blocks while every client of the pool is in use.
    func withClient<T>(_ body: (OpaquePointer) throws(MongoError) -> T) throws(MongoError) -> T {
        guard let client = mongoc_client_pool_pop(pool) else {
            throw MongoError(
                domain: MongoError.clientDomain, code: MONGOC_ERROR_CLIENT_NOT_READY.rawValue,
                message: "the client pool handed out no client", operation: "take a client from the pool"
            )
        }
        defer { mongoc_client_pool_push(pool, client) }
        return try body(client)
    }
}
