extension JSONValue {
    /// A total order on JSON values that depends on the values alone: null, then booleans
    /// (false first), numbers, strings, arrays (element by element, the shorter first when one
    /// begins the other) and objects (member by member in key order, key before value).
    ///
    /// Why: a record's child rows arrive in whatever order the source database reads them, and
    /// a document must not change because that order did. Sorting them in the consumer, rather
    /// than in the source's SQL, costs PostgreSQL no sort per record and does not depend on the
    /// customer database's collation.
    public static func canonicallyPrecedes(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        compareCanonically(lhs, rhs) < 0
    }

    /// Negative, zero or positive as `lhs` comes before, with or after `rhs`.
    private static func compareCanonically(_ lhs: JSONValue, _ rhs: JSONValue) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.bool(let left), .bool(let right)): return left == right ? 0 : (left ? 1 : -1)
        case (.number(let left), .number(let right)):
            if left == right { return 0 }
            let (l, r) = (left.doubleValue, right.doubleValue)
            // Values a Double cannot tell apart still sort one way: by their text.
            return l != r ? (l < r ? -1 : 1) : (left.text < right.text ? -1 : 1)
        case (.string(let left), .string(let right)): return left == right ? 0 : (left < right ? -1 : 1)
        case (.array(let left), .array(let right)):
            for (leftElement, rightElement) in zip(left, right) {
                let order = compareCanonically(leftElement, rightElement)
                if order != 0 { return order }
            }
            return left.count - right.count
        case (.object(let left), .object(let right)):
            for (leftMember, rightMember) in zip(left.members, right.members) {
                if leftMember.key != rightMember.key { return leftMember.key < rightMember.key ? -1 : 1 }
                let order = compareCanonically(leftMember.value, rightMember.value)
                if order != 0 { return order }
            }
            return left.count - right.count
        default: return lhs.kindRank - rhs.kindRank
        }
    }

    private var kindRank: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .number: 2
        case .string: 3
        case .array: 4
        case .object: 5
        }
    }
}
