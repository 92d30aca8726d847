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
