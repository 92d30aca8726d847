import CMongoC
import Logging

/// Process-wide set-up of libmongoc.
///
/// libmongoc must be initialised exactly once per process before any other
/// call (`mongoc_init`), and its log output goes to a process-wide handler.
/// Both happen on first use through a lazily initialised static, which Swift
/// runs exactly once even when several threads race to it. `mongoc_cleanup`
/// is deliberately never called: the library stays usable until the process
/// ends, which is what a long-running service wants.
enum MongoRuntime {
    private static let initialized: Void = {
        mongoc_log_set_handler(forwardLibraryLog, nil)
        mongoc_init()
    }()

    /// Initialises libmongoc if this process has not done so yet.
    static func ensureInitialized() {
        _ = initialized
    }
}

/// Forwards libmongoc's log lines to swift-log instead of its default
/// handler, which writes straight to stderr. libmongoc calls this from any of
/// its threads (including background monitoring threads), so it only builds a
/// fresh `Logger`, which is thread-safe, and captures nothing.
private let forwardLibraryLog: mongoc_log_func_t = { level, domain, message, _ in
    let logger = Logger(label: "inmigration.mongo.libmongoc")
    let text = message.map { String(cString: $0) } ?? ""
    let metadata: Logger.Metadata = ["mongo.log_domain": "\(domain.map { String(cString: $0) } ?? "")"]
    logger.log(level: Logger.Level(libmongoc: level), "\(text)", metadata: metadata)
}

extension Logger.Level {
    init(libmongoc level: mongoc_log_level_t) {
        switch level {
        case MONGOC_LOG_LEVEL_ERROR: self = .error
        case MONGOC_LOG_LEVEL_CRITICAL: self = .critical
        case MONGOC_LOG_LEVEL_WARNING: self = .warning
        case MONGOC_LOG_LEVEL_MESSAGE, MONGOC_LOG_LEVEL_INFO: self = .info
        case MONGOC_LOG_LEVEL_DEBUG: self = .debug
        default: self = .trace
        }
    }
}
