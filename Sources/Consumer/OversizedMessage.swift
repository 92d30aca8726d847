import Domain
import Kafka
import Store

/// An outbox message the producer cannot take, as the journal records it: named by what its
/// JSON says of itself — the migration, the instance's externalId, the change's event id (a
/// dead letter: the record's in-table) — so that an operator finds what was not published.
enum OversizedMessage {
    static func error(for message: OutboxMessage, reason: String) -> RecordError {
        let members = (try? JSONParser.parseMembers(message.value, objectCapacity: JSONParser.objectCapacity)) ?? nil
        func text(_ name: String) -> String? {
            members?.last { $0.name == name }?.value.stringValue.flatMap { $0.containsNUL ? nil : $0 }
        }
        let what = text("eventId").map { "the change event \($0)" } ?? "a message"
        return RecordError(
            migrationID: MigrationID(rawValue: text("migrationId") ?? "(unknown)"), stage: .consume,
            table: text("table"), externalID: text("externalId"), field: nil,
            reason: "\(what) for topic \(message.topic) has \(message.value.count) bytes, more than the producer takes (librdkafka's message.max.bytes, kafka.producer); it was not published: \(reason)")
    }
}
