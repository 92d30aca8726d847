/// The store refused the data of a transaction: a value it cannot hold, a constraint it
/// enforces. Unlike a ``StoreConflict``, the same batch fails the same way however often it is
/// retried; the consumer narrows the batch down to the record that causes it and rejects that
/// record, so that one bad record does not stop every other.
public struct StoreRefusal: Error, CustomStringConvertible, Sendable {
    /// What the store said, for the rejected record's reason.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { "the store refused the data: \(message)" }
}
