import Foundation
import IntegrationSupport
import Yams

/// `docs/openapi.yaml`, read as plain YAML, and a check of an answer against it: the status is
/// one the document lists for the operation, the content type is the documented one, and a JSON
/// body has every required property with the documented type, recursively.
struct OpenAPIDocument: @unchecked Sendable {
    // @unchecked: `root` is a tree of YAML values that is never mutated after `load`.
    let root: [String: Any]

    static func load() throws -> OpenAPIDocument {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any] else {
            throw TestSupportError("docs/openapi.yaml is not a mapping")
        }
        return OpenAPIDocument(root: root)
    }

    /// Every (path, method, status) the document promises.
    var operations: Set<String> {
        var all: Set<String> = []
        for (path, item) in root["paths"] as? [String: Any] ?? [:] {
            for (method, operation) in item as? [String: Any] ?? [:] {
                for status in (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:] {
                    all.insert("\(method.uppercased()) \(path) \(status.key)")
                }
            }
        }
        return all
    }

    /// The problems with one answer; empty when it is what the document says.
    func problems(path: String, method: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let operation = (root["paths"] as? [String: Any])?[path].flatMap({ ($0 as? [String: Any])?[method.lowercased()] }) as? [String: Any]
        else { return ["\(method) \(path) is not in the document"] }
        guard var response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            return ["\(method) \(path) answered \(status), which the document does not list"]
        }
        if let reference = response["$ref"] as? String, let resolved = resolve(reference) { response = resolved }
        guard let content = response["content"] as? [String: Any], let (mediaType, media) = content.first else { return [] }
        guard let contentType, contentType.hasPrefix(mediaType) else {
            return ["\(method) \(path) \(status): content type \(contentType ?? "none"), documented \(mediaType)"]
        }
        guard mediaType == "application/json", let schema = (media as? [String: Any])?["schema"] as? [String: Any] else { return [] }
        guard let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return ["\(method) \(path) \(status): the body is not JSON"]
        }
        return check(json, against: schema, at: "\(method) \(path) \(status) body")
    }

    private func resolve(_ reference: String) -> [String: Any]? {
        var node: Any? = root
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return node as? [String: Any]
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String) -> [String] {
        var schema = schema
        if let reference = schema["$ref"] as? String {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            schema = resolved
        }
        if let parts = schema["allOf"] as? [[String: Any]] {
            return parts.flatMap { check(value, against: $0, at: path) }
        }
        var problems: [String] = []
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): expected an object"] }
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): required property \(name) is missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (name, property) in object {
                if let propertySchema = properties[name] as? [String: Any] {
                    problems += check(property, against: propertySchema, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += check(property, against: additional, at: "\(path).\(name)")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return ["\(path): expected an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { problems += check(item, against: items, at: "\(path)[\(index)]") }
            }
        case "integer":
            if !(value is NSNumber) || (value as? NSNumber).map({ $0.doubleValue != $0.doubleValue.rounded() }) == true {
                problems.append("\(path): expected an integer, found \(value)")
            }
        case "string":
            guard let string = value as? String else { return ["\(path): expected a string, found \(value)"] }
            if let allowed = schema["enum"] as? [String], !allowed.contains(string) {
                problems.append("\(path): \(string) is not one of \(allowed)")
            }
        default:
            break
        }
        return problems
    }
}
