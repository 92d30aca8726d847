extension JSONText {
    /// Appends `value` as JSON text.
    ///
    /// Integers are written as integers (as ``JSONValue/keyText`` prints them, so unique keys
    /// compare alike), other numbers in Swift's shortest round-trip form, which is valid JSON;
    /// JSON has no infinity or NaN, so those become null.
    /// Object members come in key order (``JSONObject`` keeps them so): the same value is the
    /// same bytes every time, which events need.
    public static func appendValue(_ value: JSONValue, to buffer: inout [UInt8]) {
        switch value {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .bool(let bool): buffer.append(contentsOf: (bool ? "true" : "false").utf8)
        case .number(let number): buffer.append(contentsOf: number.text.utf8)
        case .string(let text): appendString(text.utf8, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendValue(element, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let fields): appendObject(fields, to: &buffer)
        }
    }

    /// Appends an object; see ``appendValue(_:to:)``.
    public static func appendObject(_ fields: JSONObject, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendString(key.utf8, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            appendValue(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Appends an integer's decimal digits.
    public static func appendInteger(_ integer: some BinaryInteger, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(integer).utf8)
    }
}
