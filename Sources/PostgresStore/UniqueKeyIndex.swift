import Domain
import Foundation
import Postgres
import Synchronization

/// A unique key of one BO as the store enforces it: a partial unique index over the key's
/// fields as text (`document->>'field'`, the text `BOIInstance.uniqueValues` produces), limited
/// to the BO's instances, and collated "C" like the store's other identifiers (a linguistic
/// collation costs every probe and insert; equality means the same under both).
///
/// The index name is derived from the BO and the fields alone, so every instance of the service
/// creates and recognises the same index; a violation of it names the key that clashed.
struct UniqueKeyIndex: Hashable, Sendable {
    /// Every unique-key index name starts with this; no other object of the store does.
    static let prefix = "boi_uk_"

    let bo: BOCode
    let fields: [String]
    let name: String

    init(bo: BOCode, fields: [String]) {
        self.bo = bo
        self.fields = fields
        self.name = Self.name(bo: bo, fields: fields)
    }

    /// `boi_uk_<bo>_<hash>`: the BO code in lower-case letters, digits and `_` (at most 30),
    /// then 16 hex digits of the 64-bit FNV-1a hash of the exact BO code and fields. At most 54
    /// bytes, below PostgreSQL's 63-byte limit on names, so it is never silently truncated.
    static func name(bo: BOCode, fields: [String]) -> String {
        let readable = bo.rawValue.unicodeScalars.prefix(30).map { scalar -> Character in
            switch scalar {
            case "a"..."z", "0"..."9": Character(scalar)
            case "A"..."Z": Character(String(scalar).lowercased())
            default: "_"
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bo.rawValue.utf8 + [0] + fields.flatMap({ Array($0.utf8) + [0] }) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return prefix + String(readable) + "_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The unique keys of a mapping, each once (two in-tables may feed the same BO).
    static func all(in mapping: MigrationMapping) -> [UniqueKeyIndex] {
        var seen: Set<String> = []
        var keys: [UniqueKeyIndex] = []
        for table in mapping.tables where !mapping.isRefused(table.bo) {
            for fields in table.uniqueKeys where !fields.isEmpty {
                let key = UniqueKeyIndex(bo: table.bo, fields: fields)
                if seen.insert(key.name).inserted { keys.append(key) }
            }
        }
        return keys
    }

    /// The text of one field as the index holds it; a lookup compares exactly this expression
    /// (with the table's alias) so that the index serves it.
    static func column(_ field: String, of alias: String? = nil) -> String {
        "((\(alias.map { $0 + "." } ?? "")document->>\(PostgresConnection.quoteLiteral(field))) COLLATE \"C\")"
    }

    /// Creates the index if it does not exist, and describes it in its comment, from which a
    /// store that did not install it learns which key a violation names. An index of the same
    /// name that an earlier version built under the database's collation is dropped first and
    /// built again, in the install's transaction.
    func installSQL(_ tables: StoreTables) throws -> String {
        let columns = fields.map { Self.column($0) }.joined(separator: ", ")
        let description = try JSONEncoder().encode(Description(bo: bo.rawValue, fields: fields))
        // The install runs with the store's schema as search_path; the name is letters, digits
        // and `_` only, so it goes into the block's body as it is.
        return """
            DO $$
            BEGIN
                IF EXISTS (
                    SELECT 1 FROM pg_index x, unnest(x.indcollation::oid[]) AS c (collation_oid)
                    WHERE x.indexrelid = to_regclass('\(name)')
                        AND c.collation_oid <> (SELECT oid FROM pg_collation
                            WHERE collname = 'C' AND collnamespace = 'pg_catalog'::regnamespace)
                ) THEN
                    DROP INDEX \(name);
                END IF;
            END
            $$;
            CREATE UNIQUE INDEX IF NOT EXISTS \(PostgresConnection.quoteIdentifier(name))
                ON \(tables.instance) (\(columns)) WHERE bo = \(PostgresConnection.quoteLiteral(bo.rawValue));
            COMMENT ON INDEX \(tables.schema).\(PostgresConnection.quoteIdentifier(name))
                IS \(PostgresConnection.quoteLiteral(String(decoding: description, as: UTF8.self)))
            """
    }

    /// Reads an index's comment as written by ``installSQL(_:)``; `nil` for any other text.
    static func fromComment(_ comment: String) -> UniqueKeyIndex? {
        guard let description = try? JSONDecoder().decode(Description.self, from: Data(comment.utf8)) else {
            return nil
        }
        return UniqueKeyIndex(bo: BOCode(description.bo), fields: description.fields)
    }

    private struct Description: Codable {
        var bo: String
        var fields: [String]
    }
}

/// The unique-key indexes this process knows, by name: filled by `install`, completed from the
/// index comments when a violation names an index installed by another process.
final class UniqueKeyRegistry: Sendable {
    private let indexes = Mutex<[String: UniqueKeyIndex]>([:])

    func register(_ keys: [UniqueKeyIndex]) {
        indexes.withLock { indexes in
            for key in keys { indexes[key.name] = key }
        }
    }

    func index(named name: String) -> UniqueKeyIndex? {
        indexes.withLock { $0[name] }
    }
}
