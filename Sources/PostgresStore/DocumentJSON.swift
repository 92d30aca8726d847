import Domain
import Foundation

/// Instance documents as JSON text, the form `jsonb` parameters and results travel in.
///
/// Writing is done by hand: a batch writes thousands of documents, and `JSONEncoder` would cost
/// more than the statement. Reading uses `JSONDecoder`: it is only for what a batch loads.
enum DocumentJSON {
    /// - Throws: ``PostgresStoreError`` `.corruptRow` when `text` is not a JSON object.
    static func decode(_ text: String) throws -> [String: JSONValue] {
        do {
            return try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
        } catch {
            throw PostgresStoreError(code: .corruptRow, message: "a stored document is not a JSON object: \(error)")
        }
    }

    private static func append(_ value: JSONValue, to buffer: inout [UInt8]) {
        switch value {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .bool(let bool): buffer.append(contentsOf: (bool ? "true" : "false").utf8)
        case .number(let number): appendNumber(number, to: &buffer)
        case .string(let text): JSONText.appendString(text.utf8, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                append(element, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let fields): appendObject(fields, to: &buffer)
        }
    }

    static func appendObject(_ fields: [String: JSONValue], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in fields {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendString(key.utf8, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            append(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Integers as integers (as `JSONValue.keyText` prints them, so unique keys compare alike),
    /// other numbers in Swift's shortest round-trip form, which is valid JSON; JSON has no
    /// infinity or NaN, so those become null.
    private static func appendNumber(_ number: Double, to buffer: inout [UInt8]) {
        guard number.isFinite else {
            buffer.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(), abs(number) < 1e15 {
            buffer.append(contentsOf: String(Int64(number)).utf8)
        } else {
            buffer.append(contentsOf: String(number).utf8)
        }
    }
}
