import Postgres
import Testing

/// Needs no server: nothing listens on 127.0.0.1 port 1, and bad conninfo fails before
/// connecting. Whatever the failure, the password must not appear in the error.
@Suite struct ConnectionFailureTests {
    @Test(arguments: [
        ("postgresql://postgres:S3cretPassw0rd@127.0.0.1:1/postgres", "S3cretPassw0rd"),
        ("postgres://u:p%40ss%2Fw0rdXY@127.0.0.1:1/db", "p@ss/w0rdXY"),
        ("postgres://u:p%40ss%2Fw0rdXY@127.0.0.1:1/db", "p%40ss%2Fw0rdXY"),
        ("postgresql://127.0.0.1:1/db?user=u&password=QueryS3cret", "QueryS3cret"),
        ("host=127.0.0.1 port=1 user=postgres password=hunter2hunter2 dbname=x", "hunter2hunter2"),
        ("host=127.0.0.1 port=1 password = 'quoted s3cret' dbname=x", "quoted s3cret"),
        ("postgresql://u:p%zzBadEncodingSecret@127.0.0.1:1/db", "BadEncodingSecret"),
        ("postgresql://u:Secret%@127.0.0.1:1/db", "Secret"),
        ("host=127.0.0.1 password=UnknownOptSecret bogus=1", "UnknownOptSecret"),
        ("host=127.0.0.1 password='UnterminatedSecret", "UnterminatedSecret"),
    ])
    func errorTextHidesPassword(conninfo: String, secret: String) throws {
        let error = try #require(throws: PostgresError.self) { try PostgresConnection.connect(conninfo) }
        #expect(error.code == .connectionFailed)
        #expect(!error.description.contains(secret), "\(error)")
        #expect(!error.message.contains(secret))
        #expect(!"\(error.detail ?? "")".contains(secret))
    }

    @Test func errorTextNamesTheTarget() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection.connect("postgresql://alice:pw@127.0.0.1:1/orders")
        }
        #expect(error.message.contains("alice@127.0.0.1:1/orders"), "\(error)")
        #expect(error.sqlState == nil)
    }

    @Test func nulInConninfoIsRefused() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection.connect("host=127.0.0.1\u{0} password=x")
        }
        #expect(error.code == .invalidArgument)
    }
}
