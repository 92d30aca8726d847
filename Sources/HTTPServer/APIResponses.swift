import Domain
import Handshake
import Hummingbird
import Journal
import Monitor

/// `POST /api/migrations` body: all optional.
struct TriggerRequest: Decodable {
    var operDate: OperDate?
}

/// `202 Accepted`: the migration was claimed and streams in the background.
struct TriggerResponse: ResponseEncodable {
    var migrationId: MigrationID
    var trackingId: Int64
    var operDate: OperDate
    var takeoverOf: MigrationID?
    var status: String
}

/// The body of every error answer.
struct ErrorResponse: ResponseEncodable {
    var error: String
    var migrationId: String?
    var operDate: OperDate?
}

extension MigrationReport: ResponseEncodable {}

struct MigrationList: ResponseEncodable {
    var migrations: [MigrationReport]
}

struct HealthResponse: ResponseEncodable {
    var status: String
    var database: String
    var broker: String
}

struct TrackingRows: ResponseEncodable {
    var rows: [TrackingRow]
}

extension LagReport: ResponseEncodable {}
