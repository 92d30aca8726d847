import Foundation

/// The demo's sample loads, built into the binary so that `inmigration demo` runs anywhere.
public enum DemoData {
    /// Day 1: the first load of the sample in-tables.
    public static var day1: String { load("day1") }
    /// Day 2: what changed — an update, a removal, a duplicate-key merge, the target of a
    /// reference parked since day 1, a record without externalId and a refused Company.
    public static var day2: String { load("day2") }

    private static func load(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("demo/\(name).sql is missing from the installed resources")
        }
        return text
    }
}
