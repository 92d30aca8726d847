import Testing
@testable import Mongo

@Suite("BSONDocument")
struct BSONDocumentTests {
    @Test("nested objects and arrays survive a canonical round trip byte for byte")
    func nestedRoundTrip() throws {
        let document = try BSONDocument(json: """
            {"person": {"name": "Ada", "tags": ["a", "b", {"deep": [1, [2, 3]]}], "empty": {}, "none": null},
             "ok": true, "list": []}
            """)
        let again = try BSONDocument(json: document.canonicalJSON)
        #expect(again == document)
        #expect(again.hashValue == document.hashValue)
        #expect(document.relaxedJSON == #"{ "person" : { "name" : "Ada", "tags" : [ "a", "b", { "deep" : [ 1, [ 2, 3 ] ] } ], "empty" : {  }, "none" : null }, "ok" : true, "list" : [  ] }"#)
    }

    @Test("unicode text, including escapes and astral characters, is kept exactly")
    func unicode() throws {
        let text = "Zoë Å 漢字 🚀 \"quoted\" back\\slash tab\t"
        let document = try BSONDocument(json: "{\"name\": \(JSONText.string(text)), \"ключ\": 1}")
        let again = try BSONDocument(json: document.relaxedJSON)
        #expect(again == document)
        #expect(document.relaxedJSON.contains("漢字 🚀"))
        #expect(document.relaxedJSON.contains("\"ключ\" : 1"))
    }

    @Test("numbers keep their BSON types: int32, int64, double, decimal128")
    func numbers() throws {
        let document = try BSONDocument(json: """
            {"small": 42, "big": 9007199254740993, "negative": -7, "real": 1.5,
             "decimal": {"$numberDecimal": "12345.6789"}, "long": {"$numberLong": "5"}}
            """)
        let canonical = document.canonicalJSON
        #expect(canonical.contains(#""small" : { "$numberInt" : "42" }"#))
        #expect(canonical.contains(#""big" : { "$numberLong" : "9007199254740993" }"#))
        #expect(canonical.contains(#""negative" : { "$numberInt" : "-7" }"#))
        #expect(canonical.contains(#""real" : { "$numberDouble" : "1.5" }"#))
        #expect(canonical.contains(#""decimal" : { "$numberDecimal" : "12345.6789" }"#))
        #expect(canonical.contains(#""long" : { "$numberLong" : "5" }"#))
        #expect(try BSONDocument(json: canonical) == document)
        // Relaxed JSON writes int64 as a plain number: parsing it back gives the
        // same value, but the small int64 comes back as int32.
        #expect(document.relaxedJSON.contains(#""big" : 9007199254740993"#))
    }

    @Test("documents differing only in field order or number type are not equal")
    func equalityIsByBytes() throws {
        #expect(try BSONDocument(json: #"{"a": 1, "b": 2}"#) != BSONDocument(json: #"{"b": 2, "a": 1}"#))
        #expect(try BSONDocument(json: #"{"a": 1}"#) != BSONDocument(json: #"{"a": {"$numberLong": "1"}}"#))
        #expect(try BSONDocument(json: "  {\"a\": 1}\n") == BSONDocument(json: #"{"a":1}"#))
        #expect(try BSONDocument(json: "{}").byteCount == 5)
    }

    @Test("invalid JSON is rejected with libbson's message and position", arguments: [
        #"{"a": }"#, "not json", #"{"a": 1} trailing"#, #"{"a": {"$numberInt": "x"}}"#, "",
    ])
    func invalidJSON(text: String) {
        #expect {
            try BSONDocument(json: text)
        } throws: { error in
            guard let error = error as? MongoError else { return false }
            return error.domain == 1 && !error.message.isEmpty && !error.isDuplicateKey && !error.isConnectionFailure
        }
    }

    @Test("a top-level array or scalar is not a document")
    func topLevelMustBeObject() throws {
        for text in ["[1, 2]", "42", #""text""#] {
            let error = try #require(throws: MongoError.self) { try BSONDocument(json: text) }
            #expect(error.message.contains("JSON object"))
            #expect(error.description.contains("parse JSON into BSON"))
        }
    }
}
