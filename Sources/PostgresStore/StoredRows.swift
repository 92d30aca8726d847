import Domain
import Postgres

/// The columns the store selects, and how its rows turn back into domain values.
enum StoredRows {
    /// The columns of `boi_instance` that make a ``BOIInstance``, prefixed with `alias`.
    static func instanceColumns(_ alias: String) -> String {
        ["boi_id", "bo", "external_id", "document", "actual", "version"].map { "\(alias).\($0)" }
            .joined(separator: ", ")
    }

    /// The columns of `boi_reference` that make a ``ParkedReference``, prefixed with `alias`.
    static func referenceColumns(_ alias: String) -> String {
        ["source_boi_id", "field", "position", "target_kind", "target_bo", "target_external_id", "catalog", "code",
         "migration_id"].map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func instance(_ row: PostgresRow) throws -> BOIInstance {
        guard let id = row["boi_id"], let bo = row["bo"], let externalId = row["external_id"],
            let document = row["document"], let actual = row.bool("actual"), let version = row.int64("version")
        else {
            throw PostgresStoreError(code: .corruptRow, message: "incomplete boi_instance row \(row["boi_id"] ?? "?")")
        }
        return BOIInstance(
            boiId: BoiID(rawValue: id), bo: BOCode(bo), externalId: externalId,
            document: try DocumentJSON.decode(document), actual: actual, version: version)
    }

    /// A parked reference from `boi_reference` or `migration_dangling` columns; `migrationColumn`
    /// names the column holding the migration that parked it.
    static func reference(_ row: PostgresRow, migrationColumn: String = "migration_id") throws -> ParkedReference {
        guard let source = row["source_boi_id"], let field = row["field"], let position = row.int("position"),
            let migration = row[migrationColumn], let target = target(row)
        else {
            throw PostgresStoreError(
                code: .corruptRow, message: "incomplete parked reference of \(row["source_boi_id"] ?? "?")")
        }
        return ParkedReference(
            source: BoiID(rawValue: source), field: field, position: position < 0 ? nil : position, target: target,
            migrationID: MigrationID(rawValue: migration))
    }

    private static func target(_ row: PostgresRow) -> ParkedReference.Target? {
        switch row["target_kind"] {
        case TargetColumns.objectKind:
            guard let bo = row["target_bo"], let externalId = row["target_external_id"] else { return nil }
            return .object(BOKey(bo: BOCode(bo), externalId: externalId))
        case TargetColumns.catalogKind:
            guard let catalog = row["catalog"], let code = row["code"] else { return nil }
            return .catalogEntry(catalog: catalog, code: code)
        default:
            return nil
        }
    }
}

/// Parked references as parallel arrays, one per column, for `unnest(…)` parameters.
struct TargetColumns {
    static let objectKind = "object"
    static let catalogKind = "catalog"

    var sources: [String] = []
    var fields: [String] = []
    /// −1 for a single-valued field, as stored.
    var positions: [String] = []
    var kinds: [String] = []
    var bos: [String?] = []
    var externalIds: [String?] = []
    var catalogs: [String?] = []
    var codes: [String?] = []
    var migrations: [String] = []
    /// How people read the target: `Person:P-9`, `catalog contract_status:X`.
    var labels: [String] = []

    init(_ references: [ParkedReference]) {
        for reference in references {
            sources.append(reference.source.rawValue)
            fields.append(reference.field)
            positions.append(String(reference.position ?? -1))
            migrations.append(reference.migrationID.rawValue)
            labels.append(reference.target.description)
            switch reference.target {
            case .object(let key):
                kinds.append(Self.objectKind)
                bos.append(key.bo.rawValue)
                externalIds.append(key.externalId)
                catalogs.append(nil)
                codes.append(nil)
            case .catalogEntry(let catalog, let code):
                kinds.append(Self.catalogKind)
                bos.append(nil)
                externalIds.append(nil)
                catalogs.append(catalog)
                codes.append(code)
            }
        }
    }
}
