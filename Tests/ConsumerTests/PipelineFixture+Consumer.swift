import Config
import Consumer
import DemoData
import Domain
import Foundation
import IntegrationSupport
import Journal
import Kafka
import Logging
import Postgres
import PostgresStore
import Starter
import Store
import Testing

/// What the consumer's tests do with a pipeline: migrate a day, look into the store and at BOI.
extension PipelineFixture {
    /// Streams a signalled day and consumes until idle with a fresh group member.
    @discardableResult
    func migrate(_ day: OperDate) async throws -> (stream: StreamReport, consume: ConsumeReport) {
        let stream = try requireValue(try await starter.starter.runUntilIdle(operDate: day).first, "\(day) was not claimed")
        try await consume()
        return (stream, try await store.consumeReport(stream.migrationID))
    }

    /// Loads one of the demo's days into the in-tables and signals it.
    func loadDemo(_ sql: String, day: OperDate) async throws {
        try await source.client.execute(sql)
        try await source.signal(day)
    }

    func insertCatalog() async throws {
        try await store.seedCatalog([
            CatalogKey(catalog: "contract_status", code: "DRAFT"): "cs-draft",
            CatalogKey(catalog: "contract_status", code: "ACTIVE"): "cs-active",
            CatalogKey(catalog: "contract_status", code: "CLOSED"): "cs-closed",
        ])
    }

    /// The BOI events on the topic, decoded, in topic order.
    func events() throws -> [BOIEvent] {
        try broker.messages(on: configuration.kafka.topics.boi).map {
            try JSONDecoder().decode(BOIEvent.self, from: Data($0.value))
        }
    }

    /// The store's content, one line per row, for comparing two runs.
    func storeDump() async throws -> [String] {
        let instances = try await source.client.execute(
            "SELECT boi_id, bo, external_id, document::text AS document, actual, version FROM inmigration.boi_instance ORDER BY boi_id")
        let map = try await source.client.execute(
            "SELECT bo, external_id, boi_id FROM inmigration.boi_external_id ORDER BY bo, external_id")
        let parked = try await source.client.execute(
            "SELECT source_boi_id, field, position, target_bo, target_external_id FROM inmigration.boi_reference ORDER BY 1, 2, 3")
        return instances.map { "instance \($0["boi_id"] ?? "") \($0["bo"] ?? "") \($0["external_id"] ?? "") \($0["document"] ?? "") \($0["actual"] ?? "") v\($0["version"] ?? "")" }
            + map.map { "map \($0["bo"] ?? ""):\($0["external_id"] ?? "") → \($0["boi_id"] ?? "")" }
            + parked.map { "parked \($0["source_boi_id"] ?? "").\($0["field"] ?? "")[\($0["position"] ?? "")] → \($0["target_bo"] ?? ""):\($0["target_external_id"] ?? "")" }
    }

    func instance(_ bo: BOCode, _ externalId: String) async throws -> (boiId: String, document: JSONObject, actual: Bool)? {
        guard
            let row = try await source.client.execute(
                """
                SELECT i.boi_id, i.document::text AS document, i.actual FROM inmigration.boi_external_id m
                JOIN inmigration.boi_instance i ON i.boi_id = m.boi_id WHERE m.bo = $1 AND m.external_id = $2
                """, [bo.rawValue, externalId]
            ).first
        else { return nil }
        let document = try JSONDecoder().decode(JSONObject.self, from: Data((row["document"] ?? "{}").utf8))
        return (row["boi_id"] ?? "", document, row.bool("actual") ?? false)
    }
}

/// `#require` for a value computed by an async expression.
func requireValue<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw TestSupportError(message) }
    return value
}

extension OperDate {
    static let day1 = OperDate(rawValue: "2026-11-20")!
    static let day2 = OperDate(rawValue: "2026-11-21")!
}
