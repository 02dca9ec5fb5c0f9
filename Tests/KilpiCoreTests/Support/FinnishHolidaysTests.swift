import Foundation
import Testing

@testable import KilpiCore

/// Finland's holidays are computed, not listed, so each rule is checked against dates from published calendars.
@Suite struct FinnishHolidaysTests {
    @Test(arguments: [
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2038, "2038-04-25"),
        (2019, "2019-04-21"), (2000, "2000-04-23"), (1818, "1818-03-22"), (2285, "2285-03-22"), (1943, "1943-04-25"),
    ])
    func easterSunday(year: Int, expected: String) {
        #expect(FinnishHolidays.easterSunday(year).description == expected)
    }

    @Test(arguments: [
        (2024, "2024-06-21", "2024-11-02"), (2025, "2025-06-20", "2025-11-01"), (2026, "2026-06-19", "2026-10-31"),
        (2027, "2027-06-25", "2027-11-06"), (2028, "2028-06-23", "2028-11-04"),
    ])
    func midsummerAndAllSaints(year: Int, eve: String, allSaints: String) {
        #expect(FinnishHolidays.midsummerEve(year).description == eve)
        #expect(FinnishHolidays.midsummerEve(year).weekday == .friday)
        #expect(FinnishHolidays.midsummerDay(year) == FinnishHolidays.midsummerEve(year).adding(days: 1))
        #expect(FinnishHolidays.allSaintsDay(year).description == allSaints)
        #expect(FinnishHolidays.allSaintsDay(year).weekday == .saturday)
    }

    /// The whole of 2026, with the kind of each day: the two eves are habit, not law.
    @Test func theHolidaysOf2026() {
        let days = FinnishHolidays.holidays(in: 2026).map { "\($0.date) \($0.name.en) \($0.kind.rawValue)" }
        #expect(
            days == [
                "2026-01-01 New Year's Day statutory", "2026-01-06 Epiphany statutory",
                "2026-04-03 Good Friday statutory", "2026-04-05 Easter Sunday statutory",
                "2026-04-06 Easter Monday statutory", "2026-05-01 May Day statutory",
                "2026-05-14 Ascension Day statutory", "2026-05-24 Whitsun statutory",
                "2026-06-19 Midsummer Eve deFacto", "2026-06-20 Midsummer Day statutory",
                "2026-10-31 All Saints' Day statutory", "2026-12-06 Independence Day statutory",
                "2026-12-24 Christmas Eve deFacto", "2026-12-25 Christmas Day statutory",
                "2026-12-26 St Stephen's Day statutory",
            ]
        )
    }

    @Test func holidayNamesInAllThreeLanguages() throws {
        let independence = try #require(
            FinnishHolidays.holidays(in: 2027).first { $0.date.description == "2027-12-06" }
        )
        #expect(independence.name.text(.en) == "Independence Day")
        #expect(independence.name.text(.fi) == "Itsenäisyyspäivä")
        #expect(independence.name.text(.sv) == "Självständighetsdagen")
    }

    @Test func localDateArithmetic() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2024, month: 2, day: 29)?.adding(days: 1).description == "2024-03-01")
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("2026-1-01") == nil)
        #expect(LocalDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(LocalDate(year: 1970, month: 1, day: 1)?.weekday == .thursday)
        #expect(LocalDate(year: 1969, month: 12, day: 31)?.dayNumber == -1)
        #expect(LocalDate("2026-12-01")?.weekday == .tuesday)
        #expect(LocalDate("2026-12-01")?.next(.tuesday, includingSelf: false).description == "2026-12-08")
        for number in stride(from: -700_000, to: 2_900_000, by: 997) {
            let day = LocalDate(dayNumber: number)
            #expect(day.dayNumber == number)
            #expect(LocalDate(day.description) == day)
        }
    }
}
