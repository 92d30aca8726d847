/// One tuple of a binary `COPY … TO STDOUT`, as handed to the `row` closure of
/// ``PostgresConnection/copyOut(_:row:)``.
///
/// Its fields are slices of a buffer that is reused for the next tuple, so a `CopyRow` and
/// its slices are meant to be used only during the call that received them: copy out what
/// you keep (`Array(slice)`, `String(decoding:as:)`). Keeping one is memory-safe (the buffer
/// is copied on write) but costs a copy of the buffer and defeats the point of streaming.
///
/// Each field is the column type's binary send format: for `text`, `varchar` and `json` the
/// UTF-8 text itself, for `jsonb` a version byte 1 before the text, for `int8` eight
/// big-endian bytes.
public struct CopyRow {
    private let bytes: [UInt8]
    /// Two entries per field: start offset in `bytes`, length (-1 for NULL).
    private let fields: [Int]

    /// The number of fields in this tuple.
    public let count: Int

    init(bytes: [UInt8], fields: [Int], count: Int) {
        self.bytes = bytes
        self.fields = fields
        self.count = count
    }

    /// The bytes of field `index`, nil for NULL.
    public subscript(_ index: Int) -> ArraySlice<UInt8>? {
        precondition(index >= 0 && index < count, "field \(index) out of range 0..<\(count)")
        let start = fields[2 * index]
        let length = fields[2 * index + 1]
        return length < 0 ? nil : bytes[start..<(start + length)]
    }

    /// Field `index` decoded as UTF-8 text, nil for NULL. Copies; for text-like types.
    public func string(_ index: Int) -> String? {
        self[index].map { String(decoding: $0, as: UTF8.self) }
    }
}
