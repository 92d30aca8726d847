import Config
import Testing

@Suite("Secrets never appear in errors")
struct SecretTests {
    static let password = "hunter2"

    func expectNoPassword(_ error: ConfigurationError?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error != nil, sourceLocation: sourceLocation)
        #expect(error?.description.contains(Self.password) == false, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.problem.contains(Self.password) == false, sourceLocation: sourceLocation)
    }

    @Test func aPasswordInSourceURLStaysOutOfAnotherKeysError() throws {
        let path = try fixture("password-in-url.yaml")
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: path, environment: [:])
        }
        #expect(error?.key == "http.port")
        #expect(error?.description.contains("password-in-url.yaml") == true)
        expectNoPassword(error)
    }

    @Test func aSyntaxErrorDoesNotQuoteTheFile() throws {
        let path = try fixture("syntax-error.yaml")
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: path, environment: [:])
        }
        #expect(error?.key == "line 4, column 8")
        #expect(error?.description.contains("syntax-error.yaml") == true)
        expectNoPassword(error)
    }

    @Test func aURLQuotedAsAWrongValueIsMasked() {
        let long = "postgresql://a-rather-long-user-name-for-truncation:\(Self.password)@db.example:5432/customer"
        expectNoPassword(loadError(yaml("http: {port: '\(long)'}")))
        expectNoPassword(loadError(yaml("store: {kind: '\(long)'}")))
        expectNoPassword(loadError(yaml(), environment: ["INMIGRATION_STORE_KIND": long]))
        expectNoPassword(loadError(yaml(), environment: ["INMIGRATION_HTTP_PORT": "host=db password=\(Self.password)"]))
        expectNoPassword(loadError(yaml(source: "{url: '\(long)', schema: [x]}")))
    }

    @Test func anOverriddenSourceURLWithAPasswordStaysOut() {
        let error = loadError(
            yaml("http: {port: -1}"), environment: ["INMIGRATION_SOURCE_URL": "postgresql://u:\(Self.password)@h/db"])
        #expect(error?.key == "http.port")
        expectNoPassword(error)
    }

    @Test(arguments: [
        ("postgresql://u:hunter2@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("mongodb://admin:hunter2@m1,m2/?replicaSet=rs", "mongodb://admin:***@m1,m2/?replicaSet=rs"),
        ("found 'postgresql://u:p@ss@h/db'", "found 'postgresql://u:***@h/db'"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("host=h password=hunter2 dbname=x", "host=h password=*** dbname=x"),
        ("host=h password = 'hunt er2' dbname=x", "host=h password =*** dbname=x"),
        ("sasl.password=hunter2,linger.ms=5", "sasl.password=***,linger.ms=5"),
        ("client_secret=hunter2", "client_secret=***"),
        ("no secrets: a=b", "no secrets: a=b"),
    ])
    func redactionMasksPasswords(_ text: String, _ expected: String) {
        #expect(ConfigurationError.redacted(text) == expected)
        #expect(!ConfigurationError(file: "f", key: "k", problem: text).description.contains("hunter2"))
    }
}
