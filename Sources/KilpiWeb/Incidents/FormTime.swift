import Foundation
import KilpiCore

/// Times in console forms: `<input type="datetime-local">` sends `2026-11-25T08:30` with no zone; Kilpi reads
/// and shows these as UTC and says so on the form, so a responder abroad cannot shift the legal clocks.
enum FormTime {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return date }
        }
        if let day = UTCDay.parse(trimmed) { return day }
        return ISO8601DateFormatter().date(from: trimmed)
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
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let date = parse(value) else {
            problems.append(FieldProblem(name, "\"\(value)\" is not a time (YYYY-MM-DDTHH:MM, UTC)"))
            return nil
        }
        return date
    }
}
