import Testing
@testable import Mongo

@Suite("MongoError")
struct MongoErrorTests {
    @Test("server code 11000 (and legacy 11001) maps to a duplicate key", arguments: [UInt32(11000), 11001])
    func duplicateKey(code: UInt32) {
        let error = MongoError(
            simulatingLibraryDomain: MongoError.serverDomain, code: code,
            message: "E11000 duplicate key error collection: db.boi index: externalId_boId dup key: { externalId: \"42\" }",
            operation: "insert into db.boi"
        )
        #expect(error.isDuplicateKey)
        #expect(!error.isConnectionFailure)
        #expect(error.domain == 17)
        #expect(error.code == code)
        #expect(error.message.hasPrefix("E11000 duplicate key error"))
        #expect(error.description == "MongoDB: insert into db.boi failed (domain 17, code \(code)): \(error.message)")
    }

    @Test("server selection and socket errors are connection failures")
    func connectionFailures() {
        let selection = MongoError(
            simulatingLibraryDomain: MongoError.serverSelectionDomain, code: 13053,
            message: "No suitable servers found", operation: "ping admin"
        )
        let stream = MongoError(
            simulatingLibraryDomain: MongoError.streamDomain, code: 3,
            message: "Failed to connect to target host", operation: "ping admin"
        )
        #expect(selection.isConnectionFailure && !selection.isDuplicateKey)
        #expect(stream.isConnectionFailure && !stream.isDuplicateKey)
    }

    @Test("other errors are neither a duplicate key nor a connection failure")
    func otherErrors() {
        let error = MongoError(
            simulatingLibraryDomain: MongoError.serverDomain, code: 2,
            message: "BadValue", operation: "replace in db.boi"
        )
        #expect(!error.isDuplicateKey && !error.isConnectionFailure)
    }

    @Test("a message longer than libbson's buffer is cut, never overrun")
    func longMessage() {
        let error = MongoError(
            simulatingLibraryDomain: MongoError.serverDomain, code: 1,
            message: String(repeating: "x", count: 2_000), operation: "test"
        )
        #expect(error.message == String(repeating: "x", count: 503))
    }
}
