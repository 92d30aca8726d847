/// Where the customer's data is: the PostgreSQL database holding the in-tables and the
/// `process_tracking` handshake table.
///
/// Only the connection string is required; the rest follows the seed's conventions.
public struct SourceOptions: Sendable, Hashable {
    /// A libpq connection string (`postgresql://user@host:5432/db` or `host=… dbname=…`).
    /// Override: `INMIGRATION_SOURCE_URL`.
    public var url: String
    /// The schema of the in-tables and the tracking table. Override: `INMIGRATION_SOURCE_SCHEMA`.
    public var schema = "public"
    /// The handshake table the customer inserts a row into for each operational day.
    public var trackingTable = "process_tracking"
    /// The `load_status` value that means the customer finished loading the in-tables.
    public var readyStatus = "DONE"
    /// Connections that read one in-table at once, each its own share of the rows. One COPY keeps
    /// one core of the database busy rendering rows and gathering child rows, which is what limits
    /// streaming a table with child rows; the shares follow the message key, so records that share
    /// a key keep their order. 1 to 16.
    public var readers = 2

    public init(url: String) {
        self.url = url
    }
}
