import Dispatch
import Logging
import Testing
@testable import Mongo

@Suite("MongoClient without a server")
struct MongoClientTests {
    @Test("a malformed URI is a clear error that does not repeat the URI", arguments: [
        "not a uri", "http://mongo:27017", "mongodb://user:s3cret@", "mongodb://user:s3cret@host:99999", "",
    ])
    func badURI(uri: String) throws {
        let error = try #require(throws: MongoError.self) {
            try MongoClient(uri: uri, logger: Logger(label: "test"))
        }
        #expect(error.description.contains("parse the MongoDB connection URI"))
        #expect(!error.message.isEmpty)
        #expect(!error.description.contains("s3cret"))
        #expect(!error.isConnectionFailure && !error.isDuplicateKey)
    }

    @Test("a valid URI makes a client without touching the network")
    func validURI() throws {
        let client = try MongoClient(uri: "mongodb://db.invalid:27017/?appname=custom", logger: Logger(label: "test"))
        let collection = client.collection("customer", "boi")
        #expect(collection.database == "customer" && collection.name == "boi")
    }

    @Test("ping with no server listening fails as a connection failure within seconds", .timeLimit(.minutes(1)))
    func pingClosedPort() async throws {
        // Port 1 (tcpmux) has no listener here: the connection is refused at once,
        // and server selection gives up after serverSelectionTimeoutMS.
        let client = try MongoClient(
            uri: "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=500",
            logger: Logger(label: "test")
        )
        let start = ContinuousClock.now
        let result = await offCooperativePool { () throws(MongoError) in try client.ping(database: "admin") }
        let elapsed = ContinuousClock.now - start
        guard case .failure(let error) = result else {
            Issue.record("ping succeeded against a closed port")
            return
        }
        #expect(error.isConnectionFailure, "\(error)")
        #expect(!error.isDuplicateKey)
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test("every collection operation reports a connection failure when no server listens", .timeLimit(.minutes(1)))
    func collectionOperationsOffline() async throws {
        let client = try MongoClient(
            uri: "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200&connectTimeoutMS=200",
            logger: Logger(label: "test")
        )
        let collection = client.collection("customer", "boi")
        let document = try BSONDocument(json: #"{"_id": "b1", "externalId": "42"}"#)
        await expectConnectionFailure { () throws(MongoError) in try collection.insert(document) }
        await expectConnectionFailure { () throws(MongoError) in
            try collection.replaceOne(filter: document, replacement: document, upsert: true)
        }
        await expectConnectionFailure { () throws(MongoError) in _ = try collection.findOne(document) }
        await expectConnectionFailure { () throws(MongoError) in
            try collection.createUniqueIndex(name: "externalId", keys: ["externalId", "a.b"])
        }
    }

    private func expectConnectionFailure(_ operation: @escaping @Sendable () throws(MongoError) -> Void) async {
        guard case .failure(let error) = await offCooperativePool(operation) else {
            Issue.record("an operation succeeded with no server")
            return
        }
        #expect(error.isConnectionFailure, "\(error)")
        #expect(error.description.contains("customer.boi"), "\(error)")
    }

    @Test("a unique index over no keys is refused before any I/O")
    func uniqueIndexNeedsKeys() throws {
        let client = try MongoClient(uri: "mongodb://127.0.0.1:1", logger: Logger(label: "test"))
        let error = try #require(throws: MongoError.self) {
            try client.collection("customer", "boi").createUniqueIndex(name: "none", keys: [])
        }
        #expect(error.message.contains("at least one key"))
        #expect(!error.isConnectionFailure)
    }

    @Test("names are escaped as JSON string literals, so they cannot reshape a command")
    func jsonEscaping() throws {
        let name = "we\"ird\\name\n\u{01}é"
        #expect(JSONText.string(name) == #""we\"ird\\name\n\u0001é""#)
        let document = try BSONDocument(json: "{\"k\": \(JSONText.string(name))}")
        #expect(document.relaxedJSON.contains("é"))
    }
}

/// Runs a blocking bridge call on a Dispatch thread, as production callers do,
/// so that the test does not block a thread of Swift's cooperative pool.
func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws(MongoError) -> T) async -> Result<T, MongoError> {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: Result { () throws(MongoError) in try body() })
        }
    }
}
