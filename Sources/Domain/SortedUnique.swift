extension Array where Element: Comparable {
    /// The elements once each, in ascending order.
    ///
    /// A batch's keys usually arrive that way already (``Assembler/preload(for:)`` sorts them):
    /// checking costs one comparison per key, where a set and a sort hashed and compared every
    /// key of every batch once more. Otherwise they are sorted, and equal neighbours dropped.
    public func sortedUnique() -> [Element] {
        if isSortedUnique { return self }
        var sorted = self.sorted()
        var kept = 0
        for index in sorted.indices where kept == 0 || sorted[kept - 1] < sorted[index] {
            sorted.swapAt(kept, index)
            kept += 1
        }
        sorted.removeSubrange(kept...)
        return sorted
    }

    /// Whether each element is less than the next.
    public var isSortedUnique: Bool {
        indices.dropFirst().allSatisfy { self[$0 - 1] < self[$0] }
    }

    /// Whether this array, sorted and without duplicates, holds `element`: a binary search.
    public func sortedContains(_ element: Element) -> Bool {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < element { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == element
    }
}
