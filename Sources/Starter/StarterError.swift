import Domain

/// Why a migration's stream failed. Each failure also lands in the journal and the log, and
/// `process_tracking` never shows a done-signal for it.
public struct StarterError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case deliveryFailed, deliveryTimedOut, leaseLost, sourceFailed, cancelled
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The broker refused or timed out at least one message.
        public static let deliveryFailed = Code(.deliveryFailed)
        /// Not every delivery report arrived in time.
        public static let deliveryTimedOut = Code(.deliveryTimedOut)
        /// Another instance took the claim over: this one stops and signals nothing.
        public static let leaseLost = Code(.leaseLost)
        /// Reading the in-tables failed.
        public static let sourceFailed = Code(.sourceFailed)
        /// The process is shutting down; the claim was released for another instance.
        public static let cancelled = Code(.cancelled)

        public var description: String { value.rawValue }
    }

    public var code: Code
    public var migrationID: MigrationID
    public var message: String

    public init(_ code: Code, migrationID: MigrationID, message: String) {
        self.code = code
        self.migrationID = migrationID
        self.message = message
    }

    public var description: String { "migration \(migrationID) failed (\(code)): \(message)" }
}
