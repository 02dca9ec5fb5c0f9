import Foundation
import KilpiCore

/// Times in console forms: `<input type="datetime-local">` sends `2026-11-25T08:30` with no zone; Kilpi reads
/// and shows these as UTC and says so on the form, so a responder abroad cannot shift the legal clocks.
enum FormTime {
    static func parse(_ text: String) -> Date? {
        IncidentInput.parseTime(text, form: .utcOrZoned)
    }

    /// The value for a datetime-local input.
    static func inputValue(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// A time for reading: `2026-11-25 08:30 UTC`.
    static func show(_ date: Date?) -> String {
        guard let date else { return "–" }
        return inputValue(date).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// Reads an optional time field; an empty field is nil, a bad one a problem naming the field.
    static func field(_ value: String?, _ name: String, into problems: inout [FieldProblem]) -> Date? {
        IncidentInput.time(value, field: name, form: .utcOrZoned, into: &problems)
    }
}
