import Foundation

@testable import KilpiCore

/// Moments written with their offset, as a Helsinki wall clock shows them, so the tests do not trust the code under
/// test to turn wall-clock times into instants.
enum SupportTestTimes {
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("not an ISO 8601 time: \(text)") }
        return date
    }

    static func day(_ text: String) -> LocalDate {
        guard let day = LocalDate(text) else { fatalError("not a day: \(text)") }
        return day
    }

    static let hour: TimeInterval = 3600
}
