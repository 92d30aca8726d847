import Foundation
import Logging
import Testing
@testable import Mongo

/// The connection string of a real MongoDB server, from `MONGO_URL`.
/// No MongoDB server exists on the project's build machines, so these tests
/// run only where a developer or CI sets `MONGO_URL` (e.g. the compose stack's
/// `mongodb://localhost:27017`); elsewhere they are reported as skipped.
private let mongoURL: String? = {
    guard let value = ProcessInfo.processInfo.environment["MONGO_URL"], !value.isEmpty else { return nil }
    return value
}()

@Suite("MongoDB integration (needs MONGO_URL)", .serialized, .enabled(if: mongoURL != nil, "set MONGO_URL to a MongoDB server to run"))
struct MongoIntegrationTests {
    let client: MongoClient
    let collection: MongoCollection

    init() throws {
        client = try MongoClient(uri: mongoURL ?? "", logger: Logger(label: "test"))
        // A fresh collection per test, dropped afterwards by `dropCollection`.
        collection = client.collection("inmigration_tests", "boi_\(UInt64.random(in: 0 ... .max))")
    }

    @Test("insert, then findOne returns the document", .timeLimit(.minutes(1)))
    func insertAndFind() async throws {
        let result = await offCooperativePool { [collection] () throws(MongoError) in
            defer { dropCollection(collection) }
            try collection.insert(BSONDocument(json: #"{"_id": "b1", "externalId": "42", "boId": "Person", "n": 1}"#))
            return try collection.findOne(BSONDocument(json: #"{"externalId": "42"}"#))
        }
        let found = try result.get()
        #expect(found == (try BSONDocument(json: #"{"_id": "b1", "externalId": "42", "boId": "Person", "n": 1}"#)))
        let missing = try await offCooperativePool { [collection] () throws(MongoError) in
            try collection.findOne(BSONDocument(json: #"{"externalId": "nope"}"#))
        }.get()
        #expect(missing == nil)
    }

    @Test("a second insert with the same unique key is a duplicate key error", .timeLimit(.minutes(1)))
    func duplicateKey() async throws {
        let result = await offCooperativePool { [collection] () throws(MongoError) -> MongoError? in
            defer { dropCollection(collection) }
            try collection.createUniqueIndex(name: "externalId_boId", keys: ["externalId", "boId"])
            try collection.createUniqueIndex(name: "externalId_boId", keys: ["externalId", "boId"])
            try collection.insert(BSONDocument(json: #"{"_id": "b1", "externalId": "42", "boId": "Person"}"#))
            let second = try BSONDocument(json: #"{"_id": "b2", "externalId": "42", "boId": "Person"}"#)
            do throws(MongoError) {
                try collection.insert(second)
                return nil
            } catch {
                return error
            }
        }
        let outcome = try result.get()
        let error = try #require(outcome, "the second insert succeeded")
        #expect(error.isDuplicateKey, "\(error)")
        #expect(error.code == 11000)
        #expect(!error.isConnectionFailure)
    }

    @Test("replaceOne with upsert inserts, then replaces", .timeLimit(.minutes(1)))
    func replaceUpsert() async throws {
        let result = await offCooperativePool { [collection] () throws(MongoError) in
            defer { dropCollection(collection) }
            let filter = try BSONDocument(json: #"{"_id": "b1"}"#)
            try collection.replaceOne(filter: filter, replacement: BSONDocument(json: #"{"_id": "b1", "v": 1}"#), upsert: true)
            let first = try collection.findOne(filter)
            try collection.replaceOne(filter: filter, replacement: BSONDocument(json: #"{"_id": "b1", "v": 2}"#), upsert: true)
            let second = try collection.findOne(filter)
            try collection.replaceOne(
                filter: BSONDocument(json: #"{"_id": "absent"}"#),
                replacement: BSONDocument(json: #"{"_id": "absent", "v": 3}"#), upsert: false
            )
            let absent = try collection.findOne(BSONDocument(json: #"{"_id": "absent"}"#))
            return [first, second, absent]
        }
        let documents = try result.get()
        #expect(documents[0] == (try BSONDocument(json: #"{"_id": "b1", "v": 1}"#)))
        #expect(documents[1] == (try BSONDocument(json: #"{"_id": "b1", "v": 2}"#)))
        #expect(documents[2] == nil)
    }

    @Test("ping succeeds", .timeLimit(.minutes(1)))
    func ping() async throws {
        try await offCooperativePool { [client] () throws(MongoError) in try client.ping(database: "admin") }.get()
    }
}

private func dropCollection(_ collection: MongoCollection) {
    guard let command = try? BSONDocument(json: "{\"drop\": \(JSONText.string(collection.name))}") else { return }
    try? collection.client.runCommand(command, database: collection.database, operation: "drop \(collection.name)")
}
