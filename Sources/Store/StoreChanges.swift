import Domain

/// Everything one batch changes, applied by the store in one transaction.
public struct StoreChanges: Sendable {
    /// Instances created or changed: written whole.
    public var instances: [BOIInstance] = []
    /// Of those, the ones that are new (inserted, not updated).
    public var created: Set<BoiID> = []
    /// For instances in `created` that no later record of the batch changed again: the JSON
    /// text of the changes their creation event publishes, which are their document's members
    /// without the null ones, written already. A store that keeps documents as JSON builds their
    /// text from it instead of writing every member again.
    public var creationTexts: [BoiID: ArraySlice<UInt8>] = [:]
    /// Instances that were seen unchanged: only `inMigrationUpdatedAt` is touched.
    public var touched: [BoiID] = []
    /// New externalId → instance mappings.
    public var mappings: [BOKey: BoiID] = [:]
    /// Reference fields whose parked references are all dropped first: the record that set the
    /// field again decides anew what it waits for. Never a field of a `created` instance, which
    /// has nothing parked yet.
    public var clearedReferenceFields: [ReferenceField] = []
    /// Parked references that were resolved.
    public var unparked: [ParkedReference.Slot] = []
    /// New parked references.
    public var parked: [ParkedReference] = []
    /// Messages to publish once committed (BOI events, dead letters), in order.
    public var outbox: [OutboxMessage] = []
    /// Rejected records and other errors, for the journal.
    public var errors: [RecordError] = []
    /// Counter increments per migration and in-table.
    public var stats: [StatsKey: ConsumeStats] = [:]
    /// The new positions: per partition, what the batch started from (fencing) and where it ends.
    public var positions: PositionUpdate?
    /// Offsets the batch found missing before its first message of a partition.
    public var gaps: [OffsetGap] = []

    public init() {}

    public var isEmpty: Bool {
        instances.isEmpty && touched.isEmpty && mappings.isEmpty && clearedReferenceFields.isEmpty && unparked.isEmpty && parked.isEmpty
            && outbox.isEmpty && errors.isEmpty && stats.isEmpty && positions == nil
            && gaps.isEmpty
    }
}

/// Moves the consumer's positions, but only from where the batch believed they were: a
/// consumer that lost its partitions in a rebalance cannot overwrite its successor's progress.
public struct PositionUpdate: Sendable, Hashable {
    public var group: String
    public var topic: String
    /// Per partition: the position the batch read from (`nil`: none stored) and the new one.
    public var moves: [Int32: (from: Int64?, to: Int64)]

    public init(group: String, topic: String, moves: [Int32: (from: Int64?, to: Int64)]) {
        self.group = group
        self.topic = topic
        self.moves = moves
    }

    public static func == (lhs: PositionUpdate, rhs: PositionUpdate) -> Bool {
        lhs.group == rhs.group && lhs.topic == rhs.topic
            && lhs.moves.mapValues { [$0.from ?? -1, $0.to] } == rhs.moves.mapValues { [$0.from ?? -1, $0.to] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(group)
        hasher.combine(topic)
        hasher.combine(moves.mapValues { [$0.from ?? -1, $0.to] })
    }
}

/// A message to publish after commit (the transactional outbox).
public struct OutboxMessage: Sendable, Hashable {
    /// The id of the outbox entry holding it, assigned by the store: the messages of one batch
    /// share it. Orders publication, with the order within the entry.
    public var id: Int64
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]

    public init(id: Int64 = 0, topic: String, key: [UInt8]?, value: [UInt8]) {
        self.id = id
        self.topic = topic
        self.key = key
        self.value = value
    }
}

/// A conflict the consumer answers by retrying the batch from fresh reads.
public struct StoreConflict: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Hashable {
        /// Another instance already holds this unique key (the seed's MongoErrorDuplicateKey).
        case duplicateKey(bo: BOCode, fields: [String])
        /// Another consumer moved a position this batch started from.
        case positionMoved(partition: Int32)
        /// The database chose this transaction as a deadlock or serialization victim.
        case retryable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "store conflict (\(kind)): \(message)" }
}
