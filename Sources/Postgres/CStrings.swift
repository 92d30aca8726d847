#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lends `strings` to C as an array of NUL-terminated strings (nil stays NULL), all in one
/// allocation that lives exactly as long as `body`. The pointers must not escape `body`.
///
/// Callers reject strings containing NUL first: C would silently cut them short.
func withCStringPointers<R>(
    _ strings: [String?],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R
) rethrows -> R {
    var storage: [UInt8] = []
    storage.reserveCapacity(strings.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
    let offsets: [Int?] = strings.map { string in
        guard let string else { return nil }
        let offset = storage.count
        storage.append(contentsOf: string.utf8)
        storage.append(0)
        return offset
    }
    return try withPointers(into: storage, at: offsets, body)
}

/// Lends C pointers into `storage` at `offsets` (nil stays NULL), with one NULL more at the end,
/// for the duration of `body`; they must not escape it.
func withPointers<R>(
    into storage: [UInt8], at offsets: [Int?],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R
) rethrows -> R {
    try storage.withUnsafeBytes { buffer in
        // The trailing NULL also gives an empty list a base address.
        let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
            offset.flatMap { offset in buffer.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) } }
        } + [nil]
        return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

extension String {
    /// True when C would see a shorter string than Swift does. With `memchr`: every text
    /// parameter is checked, and a batch's array literals are megabytes.
    var containsNUL: Bool {
        utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.baseAddress.map { memchr($0, 0, utf8.count) != nil } ?? false
        } ?? utf8.contains(0)
    }
}
