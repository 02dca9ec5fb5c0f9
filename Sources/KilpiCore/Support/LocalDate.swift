import Foundation

/// A day on the wall calendar, with no time and no zone: holidays are days, not instants, and a day's opening hours
/// become instants only in a calendar's time zone (`BusinessCalendar`).
///
/// The arithmetic is proleptic Gregorian on a day number (days since 1970-01-01), so it needs no `Calendar` and
/// cannot differ between platforms. Encoded as `"YYYY-MM-DD"`.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The day, or nil when it does not exist (February 30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let date = LocalDate(dayNumber: LocalDate.dayNumber(year: year, month: month, day: day))
        guard date.year == year, date.month == month, date.day == day else { return nil }
        self = date
    }

    /// The day with this number of days after 1970-01-01 (negative before).
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days: eras of 400 years, years starting in March.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `"2026-12-06"`, or nil when the text is not a day that exists.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { LocalDate.dayNumber(year: year, month: month, day: day) }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO number 4).
        switch ((dayNumber % 7) + 7 + 3) % 7 {
        case 0: .monday
        case 1: .tuesday
        case 2: .wednesday
        case 3: .thursday
        case 4: .friday
        case 5: .saturday
        default: .sunday
        }
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// The first day on or after this one that falls on `weekday`.
    public func next(_ weekday: Weekday, includingSelf: Bool = true) -> LocalDate {
        let ahead = (weekday.isoNumber - self.weekday.isoNumber + 7) % 7
        return adding(days: ahead == 0 && !includingSelf ? 7 : ahead)
    }

    public var description: String {
        let yearText = year >= 0 && year < 10_000 ? String(format: "%04d", year) : String(year)
        return "\(yearText)-\(String(format: "%02d", month))-\(String(format: "%02d", day))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a day YYYY-MM-DD: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Howard Hinnant's days_from_civil.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// A day of the week, Monday first as in Finland (ISO 8601).
public enum Weekday: String, Sendable, CaseIterable, Codable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// 1 for Monday to 7 for Sunday.
    public var isoNumber: Int {
        switch self {
        case .monday: 1
        case .tuesday: 2
        case .wednesday: 3
        case .thursday: 4
        case .friday: 5
        case .saturday: 6
        case .sunday: 7
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }
}
