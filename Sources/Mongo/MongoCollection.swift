import CMongoC

/// One collection of a `MongoClient`: the handful of operations the BOI store
/// needs, each a single round trip.
///
/// A cheap value that keeps its client alive. **Every operation blocks** the
/// calling thread (see `MongoClient`); keep calls off Swift's cooperative pool.
public struct MongoCollection: Sendable {
    let client: MongoClient
    /// The database name.
    public let database: String
    /// The collection name.
    public let name: String

    init(client: MongoClient, database: String, name: String) {
        self.client = client
        self.database = database
        self.name = name
    }

    /// Inserts one document. **Blocking.**
    ///
    /// - Throws: `MongoError`; `isDuplicateKey` is true when a unique index
    ///   already holds the document's key (server error 11000).
    public func insert(_ document: BSONDocument) throws(MongoError) {
        try withCollection("insert into") { collection throws(MongoError) in
            try document.withBSONPointer { bson throws(MongoError) in
                var error = bson_error_t()
                guard mongoc_collection_insert_one(collection, bson, nil, nil, &error) else {
                    throw MongoError(error, operation: "insert into \(namespace)")
                }
            }
        }
    }

    /// Replaces the first document matching `filter`. **Blocking.**
    ///
    /// - Parameters:
    ///   - filter: which document to replace.
    ///   - replacement: the whole new document (no `$` update operators).
    ///   - upsert: insert `replacement` when nothing matches.
    /// - Throws: `MongoError`; `isDuplicateKey` is true when the replacement (or
    ///   the upserted document) collides with another document's unique key.
    public func replaceOne(filter: BSONDocument, replacement: BSONDocument, upsert: Bool) throws(MongoError) {
        let options = try BSONDocument(json: upsert ? #"{"upsert": true}"# : #"{"upsert": false}"#)
        try withCollection("replace in") { collection throws(MongoError) in
            try filter.withBSONPointer { filterBSON throws(MongoError) in
                try replacement.withBSONPointer { replacementBSON throws(MongoError) in
                    try options.withBSONPointer { optionsBSON throws(MongoError) in
                        var error = bson_error_t()
                        guard mongoc_collection_replace_one(collection, filterBSON, replacementBSON, optionsBSON, nil, &error) else {
                            throw MongoError(error, operation: "replace in \(namespace)")
                        }
                    }
                }
            }
        }
    }

    /// The first document matching `filter`, or nil when none does. **Blocking.**
    public func findOne(_ filter: BSONDocument) throws(MongoError) -> BSONDocument? {
        let options = try BSONDocument(json: #"{"limit": 1}"#)
        let operation = "find in \(namespace)"
        return try withCollection("find in") { collection throws(MongoError) in
            try filter.withBSONPointer { filterBSON throws(MongoError) in
                try options.withBSONPointer { optionsBSON throws(MongoError) in
                    guard let cursor = mongoc_collection_find_with_opts(collection, filterBSON, optionsBSON, nil) else {
                        throw MongoError.invalidArgument("libmongoc returned no cursor", operation: operation)
                    }
                    defer { mongoc_cursor_destroy(cursor) }
                    var found: OpaquePointer?
                    if mongoc_cursor_next(cursor, &found), let found {
                        // The cursor owns `found` until the next call: copy it now.
                        return try BSONDocument(copying: found, operation: operation)
                    }
                    var error = bson_error_t()
                    if mongoc_cursor_error(cursor, &error) {
                        throw MongoError(error, operation: operation)
                    }
                    return nil
                }
            }
        }
    }

    /// Creates a unique ascending index over `keys`, in that order. Idempotent:
    /// the server accepts an identical index that already exists. **Blocking.**
    ///
    /// - Parameters:
    ///   - name: the index name.
    ///   - keys: the indexed fields (dotted paths allowed), at least one.
    /// - Throws: `MongoError`, e.g. when an index of that name exists with other
    ///   keys, or when documents already violate uniqueness (`isDuplicateKey`).
    public func createUniqueIndex(name indexName: String, keys: [String]) throws(MongoError) {
        let operation = "create unique index \(indexName) on \(namespace)"
        guard !keys.isEmpty else {
            throw MongoError.invalidArgument("a unique index needs at least one key", operation: operation)
        }
        let keyDocument = keys.map { "\(JSONText.string($0)): 1" }.joined(separator: ", ")
        let command = try BSONDocument(json: """
            {"createIndexes": \(JSONText.string(name)), \
            "indexes": [{"key": {\(keyDocument)}, "name": \(JSONText.string(indexName)), "unique": true}]}
            """)
        try client.runCommand(command, database: database, operation: operation)
    }

    private var namespace: String {
        "\(database).\(name)"
    }

    /// Lends a `mongoc_collection_t` on a pooled client to `body`; do not let
    /// the pointer escape.
    private func withCollection<T>(_ verb: String, _ body: (OpaquePointer) throws(MongoError) -> T) throws(MongoError) -> T {
        try client.withClient { mongoClient throws(MongoError) in
            guard let collection = mongoc_client_get_collection(mongoClient, database, name) else {
                throw MongoError.invalidArgument("libmongoc returned no collection handle", operation: "\(verb) \(namespace)")
            }
            defer { mongoc_collection_destroy(collection) }
            return try body(collection)
        }
    }
}
