import Domain
import Hummingbird
import Journal
import Store

/// `GET /api/migrations/{id}`: the journal's report (stream stage, errors) with the store's
/// account of the consume stage, in one object.
struct MigrationDetail: ResponseEncodable {
    var report: MigrationReport
    var consume: ConsumeView

    enum CodingKeys: String, CodingKey {
        case consume
    }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(consume, forKey: .consume)
    }

    /// The consume report with its dangling references written for people.
    struct ConsumeView: Encodable {
        var tables: [String: ConsumeStats]
        var total: ConsumeStats
        var markersSeen: Int32
        var markersExpected: Int32?
        /// How many references the reference check left dangling; `dangling` lists the first.
        var danglingCount: Int64?
        var dangling: [Dangling]?

        init(_ report: ConsumeReport) {
            tables = report.tables
            total = report.total
            markersSeen = report.markersSeen
            markersExpected = report.markersExpected
            danglingCount = report.danglingCount
            dangling = report.dangling?.map(Dangling.init)
        }
    }

    struct Dangling: Encodable {
        var source: String
        var field: String
        var position: Int?
        var target: String

        init(_ reference: ParkedReference) {
            source = reference.source.rawValue
            field = reference.field
            position = reference.position
            target = reference.target.description
        }
    }
}
