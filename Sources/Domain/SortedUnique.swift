/// Inlinable, so that the consumer and the store, in other modules, get these specialized for
/// their keys and ids: unspecialized, every comparison of a sort went through the `Comparable`
/// witness, and sorting a batch's instance ids took 4–5% of the consumer's samples.
extension Array where Element: Comparable {
    /// The elements once each, in ascending order.
    ///
    /// A batch's keys usually arrive that way already (``PreloadCollector`` sorts them):
    /// checking costs one comparison per key, where a set and a sort hashed and compared every
    /// key of every batch once more. Otherwise they are sorted, and equal neighbours dropped.
    @inlinable
    public func sortedUnique() -> [Element] {
        if isSortedUnique { return self }
        var kept: [Element] = []
        for element in sorted() where kept.last.map({ $0 < element }) ?? true { kept.append(element) }
        return kept
    }

    /// Whether each element is less than the next.
    @inlinable
    public var isSortedUnique: Bool {
        indices.dropFirst().allSatisfy { self[$0 - 1] < self[$0] }
    }

    /// For each element of this array, whether `other` holds it; both sorted, each element once.
    /// One walk through the two, where a set would hash every element of both.
    @inlinable
    public func membership(in other: [Element]) -> [Bool] {
        var result: [Bool] = []
        result.reserveCapacity(count)
        var index = other.startIndex
        for element in self {
            while index < other.endIndex && other[index] < element { index += 1 }
            result.append(index < other.endIndex && other[index] == element)
        }
        return result
    }

    /// The elements of this array and `other`, both sorted with each element once, in one sorted
    /// array with each element once.
    @inlinable
    public func mergingSortedUnique(_ other: [Element]) -> [Element] {
        var merged: [Element] = []
        merged.reserveCapacity(count + other.count)
        var (left, right) = (startIndex, other.startIndex)
        while left < endIndex || right < other.endIndex {
            if right == other.endIndex || (left < endIndex && self[left] < other[right]) {
                merged.append(self[left])
                left += 1
            } else if left == endIndex || other[right] < self[left] {
                merged.append(other[right])
                right += 1
            } else {
                merged.append(self[left])
                left += 1
                right += 1
            }
        }
        return merged
    }

    /// Whether this array, sorted and without duplicates, holds `element`: a binary search.
    @inlinable
    public func sortedContains(_ element: Element) -> Bool {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < element { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == element
    }
}
