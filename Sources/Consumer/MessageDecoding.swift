import Domain
import Foundation
import Kafka

/// A message of `IN_MIGRATION`, decoded, or refused with the reason.
enum DecodedMessage: Sendable {
    case record(RecordMessage, raw: [UInt8])
    case marker(RefCheckMarker)
    case malformed(Rejection)

    /// Decodes one message; a message that is not one of ours is refused, never dropped.
    static func decode(_ message: KafkaMessage, decoder: JSONDecoder) -> DecodedMessage {
        do {
            switch try decoder.decode(InMigrationMessage.self, from: Data(message.value)) {
            case .record(let record): return .record(record, raw: message.value)
            case .refCheck(let marker): return .marker(marker)
            }
        } catch {
            let probe = try? decoder.decode(Probe.self, from: Data(message.value))
            let reason =
                "malformed message at \(message.topic)[\(message.partition)]@\(message.offset): "
                + Self.describe(error)
            return .malformed(
                Rejection(
                    error: RecordError(
                        migrationID: probe?.migrationId ?? MigrationID(rawValue: "(unknown)"), stage: .consume,
                        table: probe?.table, externalID: probe?.externalId, field: Self.field(of: error),
                        reason: reason, raw: String(decoding: message.value.prefix(4096), as: UTF8.self)),
                    raw: message.value))
        }
    }

    /// What can still be read from a message that does not decode.
    private struct Probe: Decodable {
        var migrationId: MigrationID?
        var table: String?
        var externalId: String?
    }

    private static func field(of error: any Error) -> String? {
        guard let error = error as? DecodingError else { return nil }
        switch error {
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? nil : path
        @unknown default:
            return nil
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(let type, let context): return "wrong type (expected \(type)): \(context.debugDescription)"
        case .valueNotFound(let type, _): return "missing value (expected \(type))"
        case .dataCorrupted(let context): return "not valid JSON or not a message: \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
