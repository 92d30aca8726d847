import Foundation

/// The DOM Chromium dumped, read with a few plain string searches (the page marks what a test
/// needs with stable ids and data- attributes).
struct DashboardDOM {
    let html: String

    var isLoaded: Bool { html.contains("<body data-loaded=\"true\"") }

    /// Loaded, and the parts that arrive after the demo's summary are there.
    var hasSettled: Bool {
        guard isLoaded, let lag = section("lag"), let tracking = section("tracking"),
            let migration = section("migration")
        else { return false }
        return lag.contains("id=\"lag-status\" data-status=\"OK\"")
            && DashboardTests.days.allSatisfy { day in
                Self.element("tr", with: "data-oper-date=\"\(day)\"", in: tracking)?.contains("data-safe=\"yes\"") == true
            }
            && migration.contains("data-status=\"COMPLETE\"")
    }

    /// `<section id="…">…</section>` (the page's sections do not nest).
    func section(_ id: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\"") else { return nil }
        guard let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The first element `<tag …marker…>…</tag>` (the elements searched for do not nest in themselves).
    static func element(_ tag: String, with marker: String, in text: String) -> String? {
        elements(tag, with: marker, in: text).first
    }

    static func elements(_ tag: String, with marker: String, in text: String) -> [String] {
        var found: [String] = []
        var searchFrom = text.startIndex
        while let open = text.range(of: "<\(tag) ", range: searchFrom..<text.endIndex) {
            guard let tagEnd = text.range(of: ">", range: open.upperBound..<text.endIndex) else { break }
            let close = text.range(of: "</\(tag)>", range: tagEnd.upperBound..<text.endIndex)
            let end = close?.upperBound ?? tagEnd.upperBound
            if text[open.lowerBound..<tagEnd.upperBound].contains(marker) {
                found.append(String(text[open.lowerBound..<end]))
            }
            searchFrom = tagEnd.upperBound
        }
        return found
    }

    /// The value of an attribute of the element's opening tag.
    static func attribute(_ name: String, in element: String) -> String? {
        guard let tagEnd = element.firstIndex(of: ">") else { return nil }
        let tag = element[..<tagEnd]
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(tag[start.upperBound..<end])
    }

    /// A consume count of a progress row: `<td … data-stat="NAME">N</td>`.
    static func stat(_ name: String, in row: String) -> Int? {
        guard let start = row.range(of: "data-stat=\"\(name)\">") else { return nil }
        guard let end = row[start.upperBound...].firstIndex(of: "<") else { return nil }
        return Int(row[start.upperBound..<end].replacingOccurrences(of: ",", with: ""))
    }

    /// What a reader sees: the text without tags.
    static func text(of html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; text.append(" "); continue }
            if character == ">" { inTag = false; continue }
            if !inTag { text.append(character) }
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
    }

    /// The failure message a section shows, if any.
    static func failure(in section: String) -> String {
        element("p", with: "class=\"failure", in: section).map(text(of:)) ?? "(no message)"
    }
}
