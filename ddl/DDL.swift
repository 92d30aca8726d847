import Foundation

/// The SQL files of this folder, built into the binary, so that the service creates its own
/// tables and the demo and the tests create the customer's from the very files a DBA reads.
public enum DDL {
    /// `process_tracking`, the handshake table in the customer's database.
    public static var processTracking: String { load("010_process_tracking") }
    /// The product's journal, created in the store schema.
    public static var journal: String { load("020_journal") }
    /// The BOI store (`PostgresStore`), created in the store schema.
    public static var boiStore: String { load("030_boi_store") }
    /// The sample in-tables of the demo and the tests.
    public static var sampleInTables: String { load("100_sample_in_tables") }

    private static func load(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The files are part of the build: their absence is a broken installation, not an input error.
            preconditionFailure("ddl/\(name).sql is missing from the installed resources")
        }
        return text
    }
}
