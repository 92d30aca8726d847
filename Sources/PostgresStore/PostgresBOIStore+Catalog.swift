import Domain
import Postgres
import Store

extension PostgresBOIStore {
    public func seedCatalog(_ entries: [CatalogKey: String]) async throws {
        let sorted = entries.sorted { ($0.key.catalog, $0.key.code) < ($1.key.catalog, $1.key.code) }
        guard !sorted.isEmpty else { return }
        try await client.execute(
            """
            INSERT INTO \(tables.catalogEntry) (catalog, code, id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING
            """,
            [
                PostgresArray.text(sorted.map(\.key.catalog)), PostgresArray.text(sorted.map(\.key.code)),
                PostgresArray.text(sorted.map(\.value)),
            ])
    }
}
