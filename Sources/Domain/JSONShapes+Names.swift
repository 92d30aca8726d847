extension JSONShapes {
    /// Member names made into strings, found again by their bytes.
    ///
    /// Making a `String` of a name (its bytes checked and copied, and for a name of more than
    /// fifteen bytes a heap allocation, freed again with the record) cost the consumer more than
    /// comparing the name with one seen before.
    struct Names: Sendable {
        /// A name's bytes, zero-padded to ``longestName``, as four words compared at once.
        private typealias Words = (UInt64, UInt64, UInt64, UInt64)

        private struct Slot: Sendable {
            var words: Words
            /// -1 marks an empty slot.
            var count: Int
            var name: String
        }

        /// A power of two. Slots are probed in turn from the one a name hashes to, so a name is
        /// found wherever another name took its first slot.
        private static let slotCount = 256
        /// When this many slots are taken, the cache starts again empty: a load's tables name a few
        /// dozen columns in all, and names beyond that are data (a JSON column's keys), not columns.
        private static let mostKept = 160
        /// Longer names are made every time: a column's name is short, a long member name is data.
        static let longestName = 32

        /// Empty in ``off``.
        private var slots: [Slot]
        private var kept = 0

        init() {
            slots = [Slot](repeating: Slot(words: (0, 0, 0, 0), count: -1, name: ""), count: Self.slotCount)
        }

        private init(slots: [Slot]) {
            self.slots = slots
        }

        /// Keeps nothing: every name is made anew.
        static let off = Names(slots: [])

        /// The string of the name whose UTF-8 is `utf8`, made by `make` unless it was kept before.
        /// - Parameter utf8: valid UTF-8 once `make` has returned: a name that is not is never kept,
        ///   since `make` throws for it.
        mutating func name<E: Error>(
            _ utf8: UnsafeBufferPointer<UInt8>, orMake make: (UnsafeBufferPointer<UInt8>) throws(E) -> String
        ) throws(E) -> String {
            let count = utf8.count
            guard count <= Self.longestName, !slots.isEmpty else { return try make(utf8) }
            var words: Words = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(utf8)) }
            var index = Self.slot(of: words, count: count)
            while slots[index].count >= 0 {
                let kept = slots[index].words
                if slots[index].count == count, kept.0 == words.0, kept.1 == words.1, kept.2 == words.2, kept.3 == words.3 {
                    return slots[index].name
                }
                index = (index + 1) & (Self.slotCount - 1)
            }
            let name = try make(utf8)
            if kept == Self.mostKept {
                for slot in slots.indices { slots[slot].count = -1 }
                kept = 0
                index = Self.slot(of: words, count: count)
            }
            slots[index] = Slot(words: words, count: count, name: name)
            kept += 1
            return name
        }

        /// Every byte of the name moves the slot (a multiplication alone left the low bytes of short
        /// names out of the high bits it takes).
        private static func slot(of words: Words, count: Int) -> Int {
            var hash = words.0 ^ (words.1 >> 7 | words.1 << 57) ^ (words.2 >> 13 | words.2 << 51) ^ words.3 ^ UInt64(count)
            hash ^= hash >> 29
            hash &*= 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 32
            hash &*= 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: hash >> 56) & (slotCount - 1)
        }
    }
}
