import Domain

/// Where business-object instances live: PostgreSQL (JSONB) or MongoDB, behind one protocol.
///
/// The consumer works in units of one batch of messages: it opens a transaction, loads (and
/// locks) what the batch touches, computes every change in memory, and hands the changes back in
/// one ``StoreChanges``. The store applies them atomically together with the consumer's
/// positions and the outgoing messages (a transactional outbox), so a crash at any instant leaves
/// either all of a batch or none of it.
///
/// Nothing of the storage technology leaks through: no SQL, no BSON. A unique-key clash is a
/// ``StoreConflict``, as is a position another consumer moved; the consumer retries the batch.
public protocol BOIStore: Sendable {
    /// Creates what the store needs for this mapping (tables, unique indexes per unique key).
    func install(mapping: MigrationMapping) async throws

    /// Runs `body` in one transaction on the store's own thread (it may block there) and commits
    /// when it returns; rolls back when it throws.
    /// - Throws: ``StoreConflict`` when the commit clashed with another writer; whatever `body` threw.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any BOIStoreTransaction) throws -> T) async throws -> T

    /// Outgoing messages not yet confirmed as published, oldest first: those of whole outbox
    /// entries (a batch's messages share one id), until `limit` messages are reached, and always
    /// at least the oldest entry.
    func pendingOutbox(limit: Int) async throws -> [OutboxMessage]

    /// Forgets the outbox entries whose messages the broker acknowledged.
    func removeOutbox(_ ids: [Int64]) async throws

    /// Whether any outgoing message with an id up to `id`, other than those of the entries
    /// `except`, is still waiting to be published.
    func outboxHasPending(upTo id: Int64, except: [Int64]) async throws -> Bool

    /// Makes this process the one that publishes the outbox, if no other live process is: one
    /// publisher keeps the events of an instance in version order. Held until the process ends
    /// (or its connection does); asking again while holding it answers `true`.
    func acquireOutboxRelay() async throws -> Bool

    /// What the store says about one migration's consumption (counts, dangling references).
    func consumeReport(_ migration: MigrationID) async throws -> ConsumeReport

    /// Adds classifier entries that CO fields resolve against (entries already there stay as they
    /// are). The platform owns the catalog in production; the demo and the tests fill it here.
    func seedCatalog(_ entries: [CatalogKey: String]) async throws

    /// How many references wait for their target right now, over every migration.
    func parkedReferenceCount() async throws -> Int64

    /// The consumer's stored positions on `topic` (next offset to process per partition), as the
    /// last batch of each partition left them.
    func positions(group: String, topic: String) async throws -> [Int32: Int64]

    /// Offset gaps the consumer recorded that nobody has reported yet, oldest first.
    func unreportedGaps() async throws -> [OffsetGap]

    /// The gaps were reported (the migrations they may have hit were failed).
    func markReported(_ gaps: [OffsetGap]) async throws
}

extension BOIStore {
    /// Whether any outgoing message with an id up to `id` is still waiting to be published.
    public func outboxHasPending(upTo id: Int64) async throws -> Bool {
        try await outboxHasPending(upTo: id, except: [])
    }
}

/// One open transaction. Reads lock what they return until the transaction ends, so two
/// consumers never change the same instance from stale copies, unless they say they do not.
///
/// Lock order: a batch reads what it needs without locks, then locks every instance it touches in
/// one statement, in id order, and only then the parked references of those instances. Parked
/// references change only under their source instance's lock; a batch that locked them before
/// the instance, while another held the instance and deleted them, deadlocked the two.
public protocol BOIStoreTransaction {
    /// The next offset to process per partition, as committed by the last batch (nil: none yet).
    func positions(group: String, topic: String, partitions: [Int32]) throws -> [Int32: Int64]

    /// The instances that externalIds map to (the seed's BoiInMigrationRef). The aliases of
    /// `locked` keys are locked: those of the batch's own records; a key only referenced is read.
    /// Both lists sorted, each key once (as ``Preload`` gives them): they are matched in one walk,
    /// not hashed.
    func boiIDs(for keys: [BOKey], lockingAliasesOf locked: [BOKey]) throws -> [BOKey: BoiID]

    func instances(_ ids: [BoiID]) throws -> [BoiID: BOIInstance]

    /// The ids of the instances of `bo` whose unique key `fields` has one of `values` (each in
    /// field order). Not locked: the batch locks them with the rest.
    func instanceIDs(bo: BOCode, uniqueKey fields: [String], values: [[String]]) throws -> [BoiID]

    /// Parked references waiting for any of these targets, at most `limitEach` for each (all when
    /// `nil`). Not locked: see ``lockParkedReferences(of:)``.
    func parkedReferences(waitingFor targets: [ParkedReference.Target], limitEach: Int?) throws -> [ParkedReference]

    /// Every parked reference of these source instances, locked. The batch holds the sources'
    /// locks, so what it reads is what it may change.
    func lockParkedReferences(of sources: [BoiID]) throws -> [ParkedReference]

    /// Parked references that records of this migration left, a page at a time: at most `limit`,
    /// in slot order (source, field, position), those after `slot` (from the first when `nil`).
    /// Not locked.
    func parkedReferences(of migration: MigrationID, after slot: ParkedReference.Slot?, limit: Int) throws
        -> [ParkedReference]

    /// Catalog entry ids by catalog and code.
    func catalogEntries(_ keys: [CatalogKey]) throws -> [CatalogKey: String]

    /// Records that a reference-check marker of `migration` was seen on `partition`.
    /// - Returns: `true` when this was the last of the migration's `partitions` markers.
    func recordMarker(_ migration: MigrationID, partition: Int32, partitions: Int32) throws -> Bool

    /// Empties the dangling report of `migration`, for its reference check to write anew.
    func clearDangling(of migration: MigrationID) throws

    /// Adds references to the dangling report of `migration`: the check writes it a page at a
    /// time, so that a load with many unresolved references is never held in memory at once.
    func addDangling(_ references: [ParkedReference], of migration: MigrationID) throws

    /// Writes every change of the batch.
    /// - Returns: the id of the outbox entry that holds `changes.outbox`, which each of its
    ///   messages takes; ids ascend from entry to entry. Nil when there are no messages.
    /// - Throws: ``StoreConflict`` for a unique-key clash or a moved position.
    func apply(_ changes: StoreChanges) throws -> Int64?
}

/// A catalog entry as a CO field names it (the domain's type, under the name the store uses).
public typealias CatalogKey = CatalogEntryKey
