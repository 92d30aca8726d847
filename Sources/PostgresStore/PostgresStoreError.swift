/// Failures of the PostgreSQL store that are neither a database error (those stay
/// `PostgresError`) nor a conflict to retry (those are `StoreConflict`).
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public var code: Code
    public var message: String
    public var file: String
    public var line: Int

    public init(code: Code, message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "PostgresStoreError.\(code): \(message) [\(file):\(line)]" }

    /// A closed set of failure kinds, open to additions without breaking `switch`es.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case corruptRow
            case invalidArgument
            case transactionEnded
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A stored row the store cannot read back (a document that is not a JSON object…).
        public static let corruptRow = Code(.corruptRow)
        /// Input the store cannot express, such as a unique-key value with the wrong arity.
        public static let invalidArgument = Code(.invalidArgument)
        /// A transaction object used after its transaction ended.
        public static let transactionEnded = Code(.transactionEnded)

        public var description: String { backing.rawValue }
    }
}
