import Foundation

/// A console form's values by name, read field by field: each reader returns the cleaned value or nil, and
/// collects what is wrong under the field's name, so a form is refused with every problem at once.
public struct FormFields: Sendable {
    public let fields: [String: String]
    public private(set) var problems: [FieldProblem] = []

    public init(_ fields: [String: String]) { self.fields = fields }

    /// The trimmed value; nil when empty or absent.
    public func value(_ name: String) -> String? {
        guard let text = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return nil
        }
        return text
    }

    public mutating func problem(_ name: String, _ message: LocalizedMessage) {
        problems.append(FieldProblem(name, message))
    }

    public mutating func required(_ name: String) {
        problem(name, .l("fill this in", "täytä tämä"))
    }

    /// One of `T`'s raw values.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) -> T?
    where T.RawValue == String {
        guard let text = value(name) else { return nil }
        guard let choice = T(rawValue: text) else {
            let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
            problem(name, .l("use one of \(choices)", "käytä jotakin näistä: \(choices)"))
            return nil
        }
        return choice
    }

    /// A positive whole number (an id).
    public mutating func number(_ name: String) -> Int64? {
        guard let text = value(name) else { return nil }
        guard let number = Int64(text), number > 0 else {
            problem(name, .l("\"\(text.prefix(40))\" is not a number", "\"\(text.prefix(40))\" ei ole luku"))
            return nil
        }
        return number
    }

    /// A whole number within `range` (a count).
    public mutating func count(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            problem(
                name,
                .l(
                    "a whole number from \(range.lowerBound) to \(range.upperBound)",
                    "kokonaisluku \(range.lowerBound)–\(range.upperBound)"
                )
            )
            return nil
        }
        return number
    }

    /// Single-line text (line breaks become spaces) of at most `limit` characters; nil when empty.
    public mutating func line(_ name: String, limit: Int) -> String? {
        guard let text = value(name).map(NoticeText.line), !text.isEmpty else { return nil }
        guard text.count <= limit else {
            problem(name, .l("at most \(limit) characters", "enintään \(limit) merkkiä"))
            return nil
        }
        return text
    }

    /// Text of several paragraphs (`\n` line breaks) of at most `limit` characters; nil when empty.
    public mutating func text(_ name: String, limit: Int) -> String? {
        guard let text = value(name)?.replacingOccurrences(of: "\r\n", with: "\n") else { return nil }
        guard text.count <= limit else {
            problem(name, .l("at most \(limit) characters", "enintään \(limit) merkkiä"))
            return nil
        }
        return text
    }

    /// A real `YYYY-MM-DD` day from 1970 to 9999 (UTC midnight).
    public mutating func day(_ name: String) -> Date? {
        guard let text = value(name) else { return nil }
        guard let date = UTCDay.parse(text), IncidentInput.timeRange.contains(date) else {
            let shown = String(text.prefix(40))
            problem(
                name,
                .l(
                    "\"\(shown)\" is not a day between 1970 and 9999 (YYYY-MM-DD)",
                    "\"\(shown)\" ei ole päivä vuosien 1970 ja 9999 väliltä (VVVV-KK-PP)"
                )
            )
            return nil
        }
        return date
    }

    /// A time in `form` (see `IncidentInput.time`), within 1970–9999.
    public mutating func time(_ name: String, _ form: IncidentInput.TimeForm) -> Date? {
        IncidentInput.time(fields[name], field: name, form: form, into: &problems)
    }
}
