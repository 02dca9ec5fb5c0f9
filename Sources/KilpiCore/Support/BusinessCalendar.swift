import Foundation

/// When the support team works: weekly opening hours in one named time zone, minus public holidays and the
/// company's own closed days. Response targets on the business clock count only these hours (as Zammad's
/// calendars do), so a question sent on Friday evening is not "late" on Saturday.
///
/// Opening hours are wall-clock times in `timeZone`, turned into instants day by day: a DST change shortens or
/// lengthens only the night it falls in, and 08:00 stays 08:00. Built only through the throwing `init`, so a
/// calendar that exists is valid (every property is `let`).
public struct BusinessCalendar: Sendable, Equatable, Codable {
    /// An IANA zone; the day boundaries, opening hours and holidays are read in it.
    public let timeZone: TimeZone
    /// The opening hours of each weekday, sorted and not overlapping; a weekday without an entry is closed.
    public let hours: [Weekday: [OpeningHours]]
    public let publicHolidays: PublicHolidays
    /// Extra whole days off (company days, closures), on top of `publicHolidays`.
    public let closedDays: [Holiday]
    /// `closedDays`' dates, for the day walks.
    private let closedDates: Set<LocalDate>

    /// Monday to Friday, 08:00–16:00: the shipped default.
    public static let officeHours: [Weekday: [OpeningHours]] = {
        // Constant, valid hours: this cannot throw.
        let day = try! OpeningHours(8, to: 16)
        return [.monday: [day], .tuesday: [day], .wednesday: [day], .thursday: [day], .friday: [day]]
    }()

    /// The shipped default: Europe/Helsinki, `officeHours`, Finland's public holidays.
    public static let finnishOffice: BusinessCalendar = try! BusinessCalendar()

    /// A calendar, refused with every problem named by its field (`timeZone`, `hours.monday`, `hours`).
    public init(
        timeZone identifier: String = "Europe/Helsinki",
        hours: [Weekday: [OpeningHours]] = BusinessCalendar.officeHours,
        publicHolidays: PublicHolidays = .finland,
        closedDays: [Holiday] = []
    ) throws {
        var problems: [FieldProblem] = []
        let zone = TimeZone(identifier: identifier)
        if zone == nil {
            problems.append(
                FieldProblem(
                    "timeZone",
                    .l(
                        "unknown time zone: use an IANA name such as Europe/Helsinki",
                        "tuntematon aikavyöhyke: käytä IANA-nimeä, kuten Europe/Helsinki"
                    )
                )
            )
        }
        var sorted: [Weekday: [OpeningHours]] = [:]
        for weekday in Weekday.allCases {
            let stretches = (hours[weekday] ?? []).sorted { $0.opens < $1.opens }
            if zip(stretches, stretches.dropFirst()).contains(where: { $1.opens < $0.closes }) {
                problems.append(
                    FieldProblem(
                        "hours.\(weekday.rawValue)",
                        .l("the opening hours of one day overlap", "saman päivän aukioloajat menevät päällekkäin")
                    )
                )
            }
            if !stretches.isEmpty { sorted[weekday] = stretches }
        }
        if sorted.isEmpty {
            problems.append(
                FieldProblem("hours", .l("open on at least one weekday", "avoinna vähintään yhtenä viikonpäivänä"))
            )
        }
        guard let zone, problems.isEmpty else { throw ValidationFailed(problems) }
        timeZone = zone
        self.hours = sorted
        self.publicHolidays = publicHolidays
        self.closedDays = closedDays.sorted { $0.date < $1.date }
        closedDates = Set(closedDays.map(\.date))
    }

    // MARK: - Questions

    /// Whether the team is at work at `date`.
    public func isOpen(at date: Date) -> Bool {
        openIntervals(on: localDate(of: date)).contains { $0.start <= date && date < $0.end }
    }

    /// The instant at which `businessDuration` seconds of opening hours have passed after `date`.
    ///
    /// Time before the next opening does not count, so Friday 15:00 + 2 h is Monday 09:00 with 08:00–16:00 hours. A
    /// duration that ends exactly at closing time ends there (Friday 16:00), not at the next opening. Zero or less
    /// is `date` itself. `Date.distantFuture` when the calendar stays closed for over two years (closed days only).
    public func add(_ businessDuration: TimeInterval, to date: Date) -> Date {
        guard businessDuration > 0 else { return date }
        var remaining = businessDuration
        var day = localDate(of: date)
        var closedInARow = 0
        while closedInARow < BusinessCalendar.longestClosure {
            let intervals = openIntervals(on: day)
            closedInARow = intervals.isEmpty ? closedInARow + 1 : 0
            for interval in intervals where interval.end > date {
                let start = max(interval.start, date)
                let available = interval.end.timeIntervalSince(start)
                if remaining <= available { return start.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = day.adding(days: 1)
        }
        return .distantFuture
    }

    /// Seconds of opening hours between `start` and `end` (0 when `end` is not after `start`), to the millisecond.
    public func businessDuration(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var day = localDate(of: start)
        let last = localDate(of: end)
        while day <= last {
            for interval in openIntervals(on: day) {
                let overlap = min(interval.end, end).timeIntervalSince(max(interval.start, start))
                if overlap > 0 { total += overlap }
            }
            day = day.adding(days: 1)
        }
        return BusinessCalendar.milliseconds(total)
    }

    /// The opening hours of `day` as instants (none on a holiday or a closed weekday). On a DST day a stretch
    /// across the change is an hour shorter or longer; an opening time that does not exist that night (skipped by
    /// the clock) moves forward by the skipped hour, and one that happens twice means the first time.
    public func openIntervals(on day: LocalDate) -> [DateInterval] {
        guard let stretches = hours[day.weekday], !isClosed(day) else { return [] }
        // Most days are far from a DST change: one offset then serves the whole day (the walks ask for every day).
        let midnight = TimeInterval(day.dayNumber) * 86_400
        let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnight - 86_400))
        let steady = before == timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnight + 2 * 86_400))
        func at(_ minute: Int) -> Date {
            steady
                ? Date(timeIntervalSince1970: midnight + TimeInterval(minute * 60 - before))
                : instant(of: day, minute: minute)
        }
        return stretches.compactMap { stretch in
            let start = at(stretch.opens)
            let end = at(stretch.closes)
            return end > start ? DateInterval(start: start, end: end) : nil
        }
    }

    /// The holiday or closed day that closes `day`, if any (a company closed day first).
    public func holiday(on day: LocalDate) -> Holiday? {
        closedDays.first { $0.date == day } ?? publicHolidays.holidays(in: day.year).first { $0.date == day }
    }

    /// Every day off in `year`: public holidays and closed days, in date order.
    public func holidays(in year: Int) -> [Holiday] {
        (publicHolidays.holidays(in: year) + closedDays.filter { $0.date.year == year }).sorted { $0.date < $1.date }
    }

    /// What "one business day" means for a target: the opening hours of the calendar's longest weekday (8 h for
    /// `officeHours`). The longest, so a target in days does not shrink because a week has a short Friday.
    public var businessDayLength: TimeInterval {
        hours.values.map { $0.reduce(0) { $0 + $1.length } }.max() ?? 0
    }

    /// The wall-calendar day that `date` falls on in `timeZone`.
    public func localDate(of date: Date) -> LocalDate { BusinessCalendar.localDate(of: date, in: timeZone) }

    /// The instant at which the wall clock in `timeZone` shows `minute` minutes after the start of `day` (1440 is
    /// the next midnight). A time the clock skips moves forward by the skip; a time it shows twice is the first.
    public func instant(of day: LocalDate, minute: Int) -> Date {
        BusinessCalendar.instant(of: day, second: TimeInterval(minute) * 60, in: timeZone)
    }

    // MARK: - Inside

    /// After this many closed days in a row, `add` gives up (only closed days can cause it: a weekday is open).
    static let longestClosure = 800

    static func milliseconds(_ seconds: TimeInterval) -> TimeInterval { (seconds * 1000).rounded() / 1000 }

    static func localDate(of date: Date, in zone: TimeZone) -> LocalDate {
        LocalDate(dayNumber: Int((wallSeconds(of: date, in: zone) / 86_400).rounded(.down)))
    }

    /// Seconds since 1970-01-01 00:00 on the wall clock of `zone`.
    static func wallSeconds(of date: Date, in zone: TimeZone) -> TimeInterval {
        date.timeIntervalSince1970 + TimeInterval(zone.secondsFromGMT(for: date))
    }

    /// The instant at which the wall clock of `zone` shows `second` seconds after the start of `day`.
    static func instant(of day: LocalDate, second: TimeInterval, in zone: TimeZone) -> Date {
        let wall = TimeInterval(day.dayNumber) * 86_400 + second
        // Zones change their offset at most once within a day, so the offsets a day either side cover both; when
        // they agree, no change is near and the wall time has exactly one instant.
        let before = TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400)))
        let after = TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + 86_400)))
        if before == after { return Date(timeIntervalSince1970: wall - before) }
        let candidates = [wall - before, wall - after].map { Date(timeIntervalSince1970: $0) }
        let showing = candidates.filter { wallSeconds(of: $0, in: zone) == wall }
        return showing.min() ?? candidates[0]
    }

    /// Whether `day` is closed all day by a holiday or a closed day.
    func isClosed(_ day: LocalDate) -> Bool { closedDates.contains(day) || publicHolidays.contains(day) }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey { case timeZone, hours, publicHolidays, closedDays }

    /// Decoding validates like `init`, so a stored calendar that is no longer valid throws `ValidationFailed`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let named = try container.decode([String: [OpeningHours]].self, forKey: .hours)
        var hours: [Weekday: [OpeningHours]] = [:]
        for (name, stretches) in named {
            guard let weekday = Weekday(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .hours,
                    in: container,
                    debugDescription: "not a weekday: \(name)"
                )
            }
            hours[weekday] = stretches
        }
        try self.init(
            timeZone: try container.decode(String.self, forKey: .timeZone),
            hours: hours,
            publicHolidays: try container.decode(PublicHolidays.self, forKey: .publicHolidays),
            closedDays: try container.decodeIfPresent([Holiday].self, forKey: .closedDays) ?? []
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timeZone.identifier, forKey: .timeZone)
        try container.encode(
            Dictionary(uniqueKeysWithValues: hours.map { ($0.key.rawValue, $0.value) }),
            forKey: .hours
        )
        try container.encode(publicHolidays, forKey: .publicHolidays)
        try container.encode(closedDays, forKey: .closedDays)
    }
}
