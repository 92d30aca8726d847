import Domain

extension InTable {
    /// The columns whose values key a record's message on `IN_MIGRATION`, in key order, or `nil`
    /// when the table's records are keyed by their externalId.
    ///
    /// They are the columns of the mapping's first unique key (plain columns: ``InTableCatalog``
    /// refuses anything else). Records of one BO with equal values there are merged into one
    /// instance by the consumer, so they must travel on one partition: otherwise two batches
    /// applied at once would clash on the store's unique index.
    var partitionKeyColumns: [String]? {
        guard let fields = mapping.uniqueKeys.first, !fields.isEmpty,
            fields.allSatisfy({ field in columns.contains { $0.name == field } })
        else { return nil }
        return fields
    }
}
