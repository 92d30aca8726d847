extension JSONShapes {
    /// How the members of objects read before were sorted, by their names in the order read.
    ///
    /// An object whose names, in the order read, are those of one sorted before is sorted by
    /// making the same swaps again: the names are compared for equality only, which for the very
    /// same strings (see ``Names``) is a comparison of their bits, where sorting compared names
    /// for order, a call into the standard library each time.
    struct Orders: Sendable {
        private struct Order: Sendable {
            /// The names in the order they were read.
            let keys: [String]
            /// The insertion sort's swaps (``JSONObject/sortByInsertion(_:swaps:)``).
            let swaps: [UInt8]
            /// Whether a name was there twice (the last one counts).
            let repeats: Bool
        }

        /// Objects of this many shapes are remembered; the oldest gives way to a new one.
        private static let mostKept = 16

        private var orders: [Order] = []
        /// Where the last object's order was found, where the next one is looked for first.
        private var last = 0
        /// Where the next new order goes once ``mostKept`` are kept.
        private var next = 0
        private let isOn: Bool

        init() {
            isOn = true
        }

        private init(isOn: Bool) {
            self.isOn = isOn
        }

        /// Remembers nothing.
        static let off = Orders(isOn: false)

        /// Whether ``sort(_:)`` takes objects of this many members.
        func applies(to members: [JSONObject.Member]) -> Bool {
            isOn && members.count > 1 && members.count <= JSONObject.insertionSortLimit
        }

        /// Sorts by key, stably, and drops all but the last member of each key, as
        /// ``JSONObject`` keeps its members: by the swaps of an object of the same names, or
        /// by comparing names, remembering the swaps.
        mutating func sort(_ members: inout [JSONObject.Member]) {
            if let found = find(members) {
                last = found
                let order = orders[found]
                members.withUnsafeMutableBufferPointer { buffer in
                    for slot in order.swaps { buffer.swapAt(Int(slot), Int(slot) - 1) }
                }
                if order.repeats { JSONObject.keepLastOfEachKey(&members) }
                return
            }
            let keys = members.map(\.key)
            var swaps: [UInt8]? = []
            JSONObject.sortByInsertion(&members, swaps: &swaps)
            let repeats = JSONObject.keepLastOfEachKey(&members)
            let order = Order(keys: keys, swaps: swaps ?? [], repeats: repeats)
            if orders.count < Self.mostKept {
                orders.append(order)
                last = orders.count - 1
            } else {
                orders[next] = order
                last = next
                next = (next + 1) % Self.mostKept
            }
        }

        /// The order of the same names read in the same order, looked for first where the last
        /// one was found.
        private func find(_ members: [JSONObject.Member]) -> Int? {
            guard !orders.isEmpty else { return nil }
            if matches(orders[last].keys, members) { return last }
            for index in orders.indices where index != last && matches(orders[index].keys, members) {
                return index
            }
            return nil
        }

        private func matches(_ keys: [String], _ members: [JSONObject.Member]) -> Bool {
            guard keys.count == members.count else { return false }
            for index in keys.indices where keys[index] != members[index].key {
                return false
            }
            return true
        }
    }
}
