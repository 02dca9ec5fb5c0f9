import Foundation

/// A day on which the support team does not work, whatever the weekly hours say.
public struct Holiday: Sendable, Hashable, Codable {
    /// Why the day is off, so a settings page can show the difference between the law and habit.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A public holiday by law.
        case statutory
        /// Not a holiday by law but a day nearly everyone has off (Finland: Midsummer Eve, Christmas Eve).
        case deFacto
        /// A closure the company added (a company day, a move).
        case custom
    }

    public let date: LocalDate
    public let name: LocalizedMessage
    public let kind: Kind

    public init(date: LocalDate, name: LocalizedMessage, kind: Kind = .custom) {
        self.date = date
        self.name = name
        self.kind = kind
    }
}

/// The public holidays a calendar follows, computed for any year rather than typed in each year.
public enum PublicHolidays: String, Sendable, Codable, CaseIterable {
    case none
    case finland

    /// The holidays of `year`, in date order.
    public func holidays(in year: Int) -> [Holiday] {
        switch self {
        case .none: []
        case .finland: FinnishHolidays.holidays(in: year)
        }
    }

    /// Whether `day` is one of the holidays: the day walks of `BusinessCalendar` ask this for every day they pass.
    public func contains(_ day: LocalDate) -> Bool {
        switch self {
        case .none: false
        case .finland:
            FinnishHolidays.tabled.contains(day.year)
                ? FinnishHolidays.table.contains(day)
                : FinnishHolidays.holidays(in: day.year).contains { $0.date == day }
        }
    }
}

/// Finland's public holidays: the fixed ones, and the movable ones that follow Easter or fall on the Friday or
/// Saturday of a given week.
///
/// Easter Sunday, Whitsun, Midsummer Day and All Saints' Day always fall on a weekend, so they close nothing a
/// Mon–Fri calendar had open, but they are listed because they are holidays and a weekend-open calendar needs them.
///
/// Midsummer Eve and Christmas Eve are not statutory holidays: they are de-facto non-working days (most collective
/// agreements give them off and offices are shut), so Kilpi treats them as closed and marks them `.deFacto`.
public enum FinnishHolidays {
    /// Every holiday of `year`, in date order.
    public static func holidays(in year: Int) -> [Holiday] {
        let easter = easterSunday(year)
        // The year's fixed dates always exist, so the force unwraps cannot fail.
        func on(_ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }
        let days: [Holiday] = [
            Holiday(date: on(1, 1), name: .l("New Year's Day", "Uudenvuodenpäivä"), kind: .statutory),
            Holiday(date: on(1, 6), name: .l("Epiphany", "Loppiainen"), kind: .statutory),
            Holiday(date: easter.adding(days: -2), name: .l("Good Friday", "Pitkäperjantai"), kind: .statutory),
            Holiday(date: easter, name: .l("Easter Sunday", "Pääsiäispäivä"), kind: .statutory),
            Holiday(date: easter.adding(days: 1), name: .l("Easter Monday", "2. pääsiäispäivä"), kind: .statutory),
            Holiday(date: on(5, 1), name: .l("May Day", "Vappu"), kind: .statutory),
            Holiday(date: easter.adding(days: 39), name: .l("Ascension Day", "Helatorstai"), kind: .statutory),
            Holiday(date: easter.adding(days: 49), name: .l("Whitsun", "Helluntaipäivä"), kind: .statutory),
            Holiday(date: midsummerEve(year), name: .l("Midsummer Eve", "Juhannusaatto"), kind: .deFacto),
            Holiday(date: midsummerDay(year), name: .l("Midsummer Day", "Juhannuspäivä"), kind: .statutory),
            Holiday(date: allSaintsDay(year), name: .l("All Saints' Day", "Pyhäinpäivä"), kind: .statutory),
            Holiday(date: on(12, 6), name: .l("Independence Day", "Itsenäisyyspäivä"), kind: .statutory),
            Holiday(date: on(12, 24), name: .l("Christmas Eve", "Jouluaatto"), kind: .deFacto),
            Holiday(date: on(12, 25), name: .l("Christmas Day", "Joulupäivä"), kind: .statutory),
            Holiday(date: on(12, 26), name: .l("St Stephen's Day", "Tapaninpäivä"), kind: .statutory),
        ]
        return days.sorted { $0.date < $1.date }
    }

    /// The years whose holidays are worked out once, so a walk over many days does not redo Easter for each.
    static let tabled = 1970...2199
    static let table: Set<LocalDate> = Set(tabled.flatMap { holidays(in: $0).map(\.date) })

    /// Western (Gregorian) Easter Sunday: the "anonymous Gregorian" computus (Meeus/Jones/Butcher), exact for
    /// every Gregorian year.
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }

    /// The Friday between 19 and 25 June.
    public static func midsummerEve(_ year: Int) -> LocalDate {
        LocalDate(year: year, month: 6, day: 19)!.next(.friday)
    }

    /// The Saturday between 20 and 26 June.
    public static func midsummerDay(_ year: Int) -> LocalDate {
        LocalDate(year: year, month: 6, day: 20)!.next(.saturday)
    }

    /// The Saturday between 31 October and 6 November.
    public static func allSaintsDay(_ year: Int) -> LocalDate {
        LocalDate(year: year, month: 10, day: 31)!.next(.saturday)
    }
}
