import CMongoC

/// An error reported by libmongoc or libbson, or by this bridge on their behalf.
///
/// The store needs to tell three situations apart, so they are properties
/// rather than something every caller parses out of a message: a duplicate
/// key (the store merges into the conflicting instance), a connection failure
/// (retry later, the data is fine) and everything else (a bug or bad data).
/// `domain` and `code` are libmongoc's own numbers, kept for logs and for
/// cases this type does not name.
public struct MongoError: Error, CustomStringConvertible, Sendable {
    /// libmongoc's error domain (`mongoc_error_domain_t`, or libbson's for BSON/JSON errors).
    public var domain: UInt32
    /// libmongoc's error code, or the server's code for errors the server reported.
    public var code: UInt32
    /// The library's or the server's message. This bridge never adds the connection URI to it.
    public var message: String
    /// What this bridge was doing, e.g. `insert into db.coll`.
    public var operation: String

    /// True for the server's duplicate-key errors (11000, and the legacy 11001):
    /// a unique index rejected the write.
    public var isDuplicateKey: Bool {
        code == 11000 || code == 11001
    }

    /// True when no server could be reached or the connection broke: server
    /// selection timed out, or a socket could not be resolved, opened or used.
    public var isConnectionFailure: Bool {
        domain == Self.serverSelectionDomain || domain == Self.streamDomain
    }

    public var description: String {
        "MongoDB: \(operation) failed (domain \(domain), code \(code)): \(message)"
    }

    init(domain: UInt32, code: UInt32, message: String, operation: String) {
        self.domain = domain
        self.code = code
        self.message = message
        self.operation = operation
    }

    /// Copies libbson's error out of C memory.
    init(_ error: bson_error_t, operation: String) {
        let message = withUnsafeBytes(of: error.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        self.init(domain: error.domain, code: error.code, message: message, operation: operation)
    }

    /// Fills a `bson_error_t` the way libmongoc does and maps it, so that tests
    /// exercise the real conversion without a server.
    init(simulatingLibraryDomain domain: UInt32, code: UInt32, message: String, operation: String) {
        var error = bson_error_t()
        error.domain = domain
        error.code = code
        withUnsafeMutableBytes(of: &error.message) { buffer in
            let bytes = Array(message.utf8.prefix(buffer.count - 1))
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        self.init(error, operation: operation)
    }

    /// An error detected by this bridge before libmongoc was called, such as an
    /// invalid argument. It uses libmongoc's "invalid argument" domain and code.
    static func invalidArgument(_ message: String, operation: String) -> MongoError {
        MongoError(domain: commandDomain, code: MONGOC_ERROR_COMMAND_INVALID_ARG.rawValue, message: message, operation: operation)
    }

    static let serverDomain = MONGOC_ERROR_SERVER.rawValue
    static let serverSelectionDomain = MONGOC_ERROR_SERVER_SELECTION.rawValue
    static let streamDomain = MONGOC_ERROR_STREAM.rawValue
    static let commandDomain = MONGOC_ERROR_COMMAND.rawValue
    static let clientDomain = MONGOC_ERROR_CLIENT.rawValue
}
