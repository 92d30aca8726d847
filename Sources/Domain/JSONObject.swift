/// A JSON object: its members in an array sorted by name, each name once.
///
/// Why not `[String: JSONValue]`: the consumer builds several objects for every record (the
/// row, each child row, the document, the change set) of about ten members each. A dictionary
/// hashed every name on every insert and lookup and freed a hash table per object; hashing alone
/// was a sixth of the consumer's work. A sorted array finds a name by a few comparisons, is
/// built with one sort, compares and hashes member by member, and is already in the key order
/// events are written in.
public struct JSONObject: Hashable, Sendable {
    /// One member; ``JSONObject`` keeps them sorted by `key`.
    struct Member: Hashable, Sendable {
        var key: String
        var value: JSONValue
    }

    private(set) var members: [Member]

    public init() { members = [] }

    /// An empty object with room for `capacity` members.
    public init(minimumCapacity capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    /// The members as given, in any order; of a name given twice, the last value counts (as
    /// when JSON text repeats a name).
    public init<Pairs: Sequence>(_ pairs: Pairs) where Pairs.Element == (String, JSONValue) {
        var members = pairs.map { Member(key: $0.0, value: $0.1) }
        Self.sortKeepingLast(&members)
        self.members = members
    }

    /// Members in the order they were read, sorted in place.
    init(unsorted members: consuming [Member]) {
        Self.sortKeepingLast(&members)
        self.members = members
    }

    /// Members in the order they were read, sorted in place as `orders` sorted members of the
    /// same names before, if it did.
    init(unsorted members: consuming [Member], orders: inout JSONShapes.Orders) {
        if orders.applies(to: members) {
            orders.sort(&members)
        } else {
            Self.sortKeepingLast(&members)
        }
        self.members = members
    }

    /// Members already in key order, each key once (as taken from other objects in order).
    init(sorted members: consuming [Member]) {
        assert(members.indices.dropFirst().allSatisfy { members[$0 - 1].key < members[$0].key })
        self.members = members
    }

    /// The members whose value is not null, in one array sized for them all.
    public func removingNulls() -> JSONObject {
        guard members.contains(where: { $0.value == .null }) else { return self }
        var kept: [Member] = []
        kept.reserveCapacity(members.count)
        for member in members where member.value != .null { kept.append(member) }
        return JSONObject(sorted: kept)
    }

    /// Whether `other` holds this very object's members, not an equal copy. Values share their
    /// members until one of them changes: this is how the document an instance was created with
    /// is known to be the one it still has, without comparing them.
    public func sharesMembers(with other: JSONObject) -> Bool {
        members.withUnsafeBufferPointer { mine in
            other.members.withUnsafeBufferPointer { theirs in
                mine.count == theirs.count && mine.baseAddress == theirs.baseAddress
            }
        }
    }

    /// Calls `body` with the name of each member whose value is null, in order, reading the
    /// members where they lie.
    public func forEachNullMember(_ body: (String) -> Void) {
        members.withUnsafeBufferPointer { members in
            for member in members {
                if case .null = member.value { body(member.key) }
            }
        }
    }

    /// Sorts by key, stably, and drops all but the last member of each key.
    private static func sortKeepingLast(_ members: inout [Member]) {
        if members.count <= insertionSortLimit {
            var swaps: [UInt8]? = nil
            sortByInsertion(&members, swaps: &swaps)
        } else {
            members = members.enumerated()
                .sorted { $0.element.key != $1.element.key ? $0.element.key < $1.element.key : $0.offset < $1.offset }
                .map(\.element)
        }
        keepLastOfEachKey(&members)
    }

    /// The most members ``sortByInsertion(_:swaps:)`` sorts.
    static let insertionSortLimit = 32

    /// Most input is a row of a few columns, often sorted or nearly so: sorted in place by
    /// insertion, which moves nothing that is in order already. Members are swapped through the
    /// buffer: a swap moves their bits, where copying a member out and assigning it back retained
    /// and released its name and value at every step.
    /// - Parameter swaps: where given, each swap is noted as the higher of the two places, so
    ///   that members of the same names in the same order can be sorted again without comparing.
    static func sortByInsertion(_ members: inout [Member], swaps: inout [UInt8]?) {
        precondition(members.count <= insertionSortLimit)
        members.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices.dropFirst() {
                var slot = index
                while slot > 0 && buffer[slot].key < buffer[slot - 1].key {
                    buffer.swapAt(slot, slot - 1)
                    swaps?.append(UInt8(slot))
                    slot -= 1
                }
            }
        }
    }

    /// Of members sorted by key, stably, drops all but the last of each key.
    /// - Returns: whether any key was there more than once.
    @discardableResult
    static func keepLastOfEachKey(_ members: inout [Member]) -> Bool {
        guard members.indices.dropFirst().contains(where: { members[$0].key.isSame(as: members[$0 - 1].key) }) else {
            return false
        }
        var kept: [Member] = []
        kept.reserveCapacity(members.count)
        for member in members {
            if let last = kept.last, last.key == member.key {
                kept[kept.count - 1] = member
            } else {
                kept.append(member)
            }
        }
        members = kept
        return true
    }

    /// Where `key` is, or where it would go.
    private func search(_ key: String) -> (index: Int, found: Bool) {
        Self.search(key, in: members)
    }

    /// Where `key` is among `members`, sorted by key with each key once, or where it would go.
    static func search(_ key: String, in members: [Member]) -> (index: Int, found: Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = members[middle].key
            if candidate.isSame(as: key) { return (middle, true) }
            if candidate < key { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// The value of `key`; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            let (index, found) = search(key)
            return found ? members[index].value : nil
        }
        set {
            let (index, found) = search(key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert(Member(key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Removes `key`; returns the value it had.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let (index, found) = search(key)
        return found ? members.remove(at: index).value : nil
    }

    public mutating func reserveCapacity(_ capacity: Int) { members.reserveCapacity(capacity) }

    /// The names, in order.
    public var keys: [String] { members.map(\.key) }

    /// The values, in the order of their names.
    public var values: [JSONValue] { members.map(\.value) }
}

extension JSONObject: RandomAccessCollection {
    public typealias Element = (key: String, value: JSONValue)

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }

    public subscript(position: Int) -> Element {
        let member = members[position]
        return (member.key, member.value)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Codable {
    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        self.init(try container.allKeys.map { ($0.stringValue, try container.decode(JSONValue.self, forKey: $0)) })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        for member in members { try container.encode(member.value, forKey: Name(stringValue: member.key)) }
    }
}
