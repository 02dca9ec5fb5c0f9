import Foundation
import KilpiCore

/// Times in console forms: `<input type="datetime-local">` sends `2026-11-25T08:30` with no zone; Kilpi reads
/// and shows these as UTC and says so on the form, so a responder abroad cannot shift the legal clocks.
enum FormTime {
    static func parse(_ text: String) -> Date? {
        IncidentInput.parseTime(text, form: .utcOrZoned)
    }

    /// The value for a datetime-local input. By arithmetic: a Foundation formatter costs more to make than a
    /// page of fifty rows costs to render.
    static func inputValue(_ date: Date?) -> String {
        guard let date else { return "" }
        return NoticeDate.minute(date)
    }

    /// A time for reading: `2026-11-25 08:30 UTC`.
    static func show(_ date: Date?) -> String {
        guard let date else { return "–" }
        return NoticeDate.minute(date, separator: " ") + " UTC"
    }

    /// Reads an optional time field; an empty field is nil, a bad one a problem naming the field.
    static func field(_ value: String?, _ name: String, into problems: inout [FieldProblem]) -> Date? {
        IncidentInput.time(value, field: name, form: .utcOrZoned, into: &problems)
    }
}
