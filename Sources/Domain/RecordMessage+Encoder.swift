extension RecordMessage {
    /// Builds record messages for one in-table from the JSON PostgreSQL renders, without parsing it.
    ///
    /// The fields that are the same for every record of the table are rendered once; per record
    /// only the externalId and the row (and child rows) are appended.
    ///
    /// The message key decides the partition. A record that has every value of its table's first
    /// unique key is keyed by them, `<BO>=<values>`: records the consumer may merge into one
    /// instance then travel on one partition, so batches of different partitions applied at once
    /// never clash on the store's unique index. Any other record is keyed `<BO>:<externalId>`.
    public struct Encoder: Sendable {
        private let prefix: [UInt8]
        private let keyPrefix: [UInt8]
        private let uniqueKeyPrefix: [UInt8]

        public init(migrationId: MigrationID, operDate: OperDate, bo: BOCode, table: String) {
            let head =
                "{\"kind\":\"record\",\"migrationId\":\(JSONText.string(migrationId.rawValue))"
                + ",\"operDate\":\"\(operDate.rawValue)\",\"bo\":\(JSONText.string(bo.rawValue))"
                + ",\"table\":\(JSONText.string(table)),\"externalId\":"
            self.prefix = Array(head.utf8)
            self.keyPrefix = Array((bo.rawValue + ":").utf8)
            self.uniqueKeyPrefix = Array((bo.rawValue + "=").utf8)
        }

        /// Writes the message for one record into `value` and its key into `key` (both cleared first).
        /// - Parameters:
        ///   - externalId: the externalId as text, `nil` when the column is NULL (without a unique
        ///     key the key is then empty).
        ///   - uniqueKey: the value of the table's first unique key as PostgreSQL renders it as
        ///     text (the values of a key of several columns as a JSON array); `nil` when the table
        ///     has no unique key or a value is NULL. When present the key is `<BO>=` and these
        ///     bytes, else `<BO>:<externalId>`.
        ///   - row: the row as a JSON object, as `row_to_json` renders it.
        ///   - children: a JSON object of child rows by field, or `nil` when the table has none.
        public func encode(
            externalId: ArraySlice<UInt8>?, uniqueKey: ArraySlice<UInt8>? = nil, row: ArraySlice<UInt8>,
            children: ArraySlice<UInt8>?, value: inout [UInt8], key: inout [UInt8]
        ) {
            value.removeAll(keepingCapacity: true)
            key.removeAll(keepingCapacity: true)
            value.append(contentsOf: prefix)
            if let uniqueKey {
                key.append(contentsOf: uniqueKeyPrefix)
                key.append(contentsOf: uniqueKey)
            } else if let externalId {
                key.append(contentsOf: keyPrefix)
                key.append(contentsOf: externalId)
            }
            if let externalId {
                JSONText.appendString(externalId, to: &value)
            } else {
                value.append(contentsOf: "null".utf8)
            }
            value.append(contentsOf: ",\"row\":".utf8)
            value.append(contentsOf: row)
            if let children {
                value.append(contentsOf: ",\"children\":".utf8)
                value.append(contentsOf: children)
            }
            value.append(UInt8(ascii: "}"))
        }
    }
}
