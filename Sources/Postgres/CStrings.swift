/// Lends `strings` to C as an array of NUL-terminated strings (nil stays NULL), all in one
/// allocation that lives exactly as long as `body`. The pointers must not escape `body`.
///
/// Callers reject strings containing NUL first: C would silently cut them short.
func withCStringPointers<R>(
    _ strings: [String?],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R
) rethrows -> R {
    // Bytes, not `CChar`s: appending a string's UTF-8 view to a byte array is one copy, where
    // converting byte by byte cost more than the statement for a batch's megabytes of arrays.
    var storage: [UInt8] = []
    storage.reserveCapacity(strings.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
    let offsets: [Int?] = strings.map { string in
        guard let string else { return nil }
        let offset = storage.count
        storage.append(contentsOf: string.utf8)
        storage.append(0)
        return offset
    }
    return try storage.withUnsafeBytes { buffer in
        // One trailing NULL more, so that even an empty list has a base address.
        let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
            offset.flatMap { offset in buffer.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) } }
        } + [nil]
        return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

extension String {
    /// True when C would see a shorter string than Swift does.
    var containsNUL: Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? utf8.contains(0)
    }
}
