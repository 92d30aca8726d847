import Postgres
import Store

/// Turns the PostgreSQL errors the consumer answers by retrying into ``StoreConflict``s; every
/// other error is left as it is.
struct ConflictMapper: Sendable {
    let uniqueKeys: UniqueKeyRegistry

    /// SQLSTATEs of a transaction the server sacrificed: `deadlock_detected` and
    /// `serialization_failure`.
    static let retryableStates: Set<String> = ["40P01", "40001"]

    /// The conflict `error` means, or `nil` when it is not one (or names a unique-key index this
    /// process does not know yet; see ``PostgresBOIStore``'s catalogue fallback).
    /// The primary key of `boi_instance`: a transaction creating an instance that another one
    /// created meanwhile. Records of one externalId usually share a partition, but not when they
    /// differ in the unique key the starter partitions by; the retry finds the instance and
    /// updates it.
    static let instanceKey = "boi_instance_pkey"

    func conflict(for error: PostgresError) -> StoreConflict? {
        if let state = error.sqlState, Self.retryableStates.contains(state) {
            return StoreConflict(.retryable, message: error.message)
        }
        if error.isUniqueViolation, error.constraint == Self.instanceKey {
            return StoreConflict(.retryable, message: error.message + (error.detail.map { ": \($0)" } ?? ""))
        }
        guard error.isUniqueViolation, let name = error.constraint, let key = uniqueKeys.index(named: name) else {
            return nil
        }
        return Self.duplicate(key, error)
    }

    /// SQLSTATE classes of data the server refuses whenever it is sent: data exceptions (22),
    /// integrity constraint violations (23) and program limits such as an index entry too large
    /// (54). A retry cannot help; the consumer isolates the record instead.
    static let refusedClasses: Set<Substring> = ["22", "23", "54"]

    /// `error` as a refusal of the data, or `nil` when it is something else (a lost connection, a
    /// full disk) that must stop the consumer rather than cost a record.
    static func refusal(_ error: PostgresError) -> StoreRefusal? {
        // A value the client cannot even send, such as text with U+0000.
        if error.code == .invalidArgument { return StoreRefusal(message: error.message) }
        guard let state = error.sqlState, refusedClasses.contains(state.prefix(2)) else { return nil }
        let constraint = error.constraint.map { " (constraint \($0))" } ?? ""
        return StoreRefusal(
            message: error.message + constraint + (error.detail.map { ": \($0)" } ?? "") + " [SQLSTATE \(state)]")
    }

    static func duplicate(_ key: UniqueKeyIndex, _ error: PostgresError) -> StoreConflict {
        StoreConflict(
            .duplicateKey(bo: key.bo, fields: key.fields),
            message: "another \(key.bo) instance has the same \(key.fields.joined(separator: ", "))"
                + (error.detail.map { ": \($0)" } ?? ""))
    }

    /// The index name, when `error` is a unique violation of an index named like a unique key.
    static func namesUnknownUniqueKey(_ error: PostgresError) -> String? {
        guard error.isUniqueViolation, let name = error.constraint, name.hasPrefix(UniqueKeyIndex.prefix) else {
            return nil
        }
        return name
    }
}
