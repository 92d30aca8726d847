extension JSONText {
    /// `value` as JSON text.
    ///
    /// Integers are written as integers (as ``JSONValue/keyText`` prints them, so unique keys
    /// compare alike), other numbers in Swift's shortest round-trip form, which is valid JSON;
    /// JSON has no infinity or NaN, so those become null.
    /// Object members come in key order (``JSONObject`` keeps them so): the same value is the
    /// same bytes every time, which events need.
    public static func value(_ value: JSONValue) -> [UInt8] {
        var writer = JSONByteWriter()
        writer.appendValue(value)
        return writer.finish()
    }

    /// An object as JSON text; see ``value(_:)``.
    public static func object(_ fields: JSONObject) -> [UInt8] {
        var writer = JSONByteWriter()
        writer.appendObject(fields)
        return writer.finish()
    }
}
