extension JSONText {
    /// Appends `value` as JSON text.
    ///
    /// Integers are written as integers (as ``JSONValue/keyText`` prints them, so unique keys
    /// compare alike), other numbers in Swift's shortest round-trip form, which is valid JSON;
    /// JSON has no infinity or NaN, so those become null.
    /// - Parameter sortingKeys: write object members in key order, for output that is the same
    ///   byte for byte every time (events); without it, in the dictionary's order (documents,
    ///   which `jsonb` normalises anyway).
    public static func appendValue(_ value: JSONValue, to buffer: inout [UInt8], sortingKeys: Bool = false) {
        switch value {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .bool(let bool): buffer.append(contentsOf: (bool ? "true" : "false").utf8)
        case .number(let number): appendNumber(number, to: &buffer)
        case .string(let text): appendString(text.utf8, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendValue(element, to: &buffer, sortingKeys: sortingKeys)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let fields): appendObject(fields, to: &buffer, sortingKeys: sortingKeys)
        }
    }

    /// Appends an object; see ``appendValue(_:to:sortingKeys:)``.
    public static func appendObject(_ fields: [String: JSONValue], to buffer: inout [UInt8], sortingKeys: Bool = false) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        func member(_ key: String, _ value: JSONValue) {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            appendString(key.utf8, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            appendValue(value, to: &buffer, sortingKeys: sortingKeys)
        }
        if sortingKeys {
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) { member(key, value) }
        } else {
            for (key, value) in fields { member(key, value) }
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Appends an integer's decimal digits.
    public static func appendInteger(_ integer: some BinaryInteger, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(integer).utf8)
    }

    private static func appendNumber(_ number: Double, to buffer: inout [UInt8]) {
        guard number.isFinite else {
            buffer.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(), abs(number) < 1e15 {
            appendInteger(Int64(number), to: &buffer)
        } else {
            buffer.append(contentsOf: String(number).utf8)
        }
    }
}
