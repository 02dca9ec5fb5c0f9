import Foundation
import Testing

@testable import KilpiCore

/// The business clock: across closing time, weekends, holidays and Helsinki's DST changes.
@Suite struct BusinessCalendarTests {
    let office = BusinessCalendar.finnishOffice
    let hour = SupportTestTimes.hour
    /// Open around the clock with no holidays: a day's business time is its real length.
    let always = try! BusinessCalendar(
        hours: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [try! OpeningHours(0, to: 24)]) }),
        publicHolidays: .none
    )
    func at(_ text: String) -> Date { SupportTestTimes.at(text) }

    @Test func theShippedDefault() {
        #expect(office.timeZone.identifier == "Europe/Helsinki")
        #expect(office.publicHolidays == .finland)
        #expect(office.hours.keys.sorted() == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(office.hours[.monday]?.map(\.description) == ["08:00-16:00"])
        #expect(office.businessDayLength == 8 * hour)
    }

    @Test func fridayAfternoonPlusTwoHoursIsMondayMorning() {
        let friday = at("2026-11-27T15:00:00+02:00")
        #expect(office.add(2 * hour, to: friday) == at("2026-11-30T09:00:00+02:00"))
        #expect(office.businessDuration(from: friday, to: at("2026-11-30T09:00:00+02:00")) == 2 * hour)
        // Exactly the rest of the day ends at closing time, not at the next opening.
        #expect(office.add(1 * hour, to: friday) == at("2026-11-27T16:00:00+02:00"))
        // Time asked outside opening hours starts counting at the next opening.
        #expect(office.add(30 * 60, to: at("2026-11-28T12:00:00+02:00")) == at("2026-11-30T08:30:00+02:00"))
        #expect(office.add(30 * 60, to: at("2026-11-30T06:00:00+02:00")) == at("2026-11-30T08:30:00+02:00"))
        #expect(office.add(0, to: friday) == friday)
    }

    @Test func holidaysAreSkipped() {
        // Christmas Eve (Thu, de facto), Christmas Day (Fri), St Stephen's Day (Sat), then Sunday.
        let beforeChristmas = at("2026-12-23T15:00:00+02:00")
        #expect(office.add(2 * hour, to: beforeChristmas) == at("2026-12-28T09:00:00+02:00"))
        #expect(office.businessDuration(from: beforeChristmas, to: at("2026-12-28T09:00:00+02:00")) == 2 * hour)
        // Independence Day 2028 is a Wednesday.
        #expect(office.add(2 * hour, to: at("2028-12-05T15:00:00+02:00")) == at("2028-12-07T09:00:00+02:00"))
        // Easter 2026: Good Friday and Easter Monday.
        #expect(office.add(2 * hour, to: at("2026-04-02T15:00:00+03:00")) == at("2026-04-07T09:00:00+03:00"))
        // Midsummer Eve 2026 is a Friday.
        #expect(office.add(2 * hour, to: at("2026-06-18T15:00:00+03:00")) == at("2026-06-22T09:00:00+03:00"))
        // Ascension Day 2026 (Thursday 14 May).
        #expect(office.add(8 * hour, to: at("2026-05-13T08:00:00+03:00")) == at("2026-05-13T16:00:00+03:00"))
        #expect(office.add(9 * hour, to: at("2026-05-13T08:00:00+03:00")) == at("2026-05-15T09:00:00+03:00"))
    }

    @Test func isOpen() {
        #expect(office.isOpen(at: at("2026-11-30T08:00:00+02:00")))
        #expect(office.isOpen(at: at("2026-11-30T15:59:59+02:00")))
        #expect(!office.isOpen(at: at("2026-11-30T16:00:00+02:00")))
        #expect(!office.isOpen(at: at("2026-11-30T07:59:59+02:00")))
        #expect(!office.isOpen(at: at("2026-11-28T10:00:00+02:00")))  // Saturday
        #expect(!office.isOpen(at: at("2027-12-06T10:00:00+02:00")))  // Independence Day, a Monday
        #expect(!office.isOpen(at: at("2026-12-24T10:00:00+02:00")))  // Christmas Eve, a Thursday
        // 08:00 in Helsinki is 06:00 UTC in winter: the zone counts, not the server's.
        #expect(office.isOpen(at: at("2026-11-30T07:30:00Z")))
        #expect(!office.isOpen(at: at("2026-11-30T14:30:00Z")))
    }

    @Test func springForwardInHelsinki() {
        // DST starts on Sunday 29 March 2026: 03:00 EET becomes 04:00 EEST. Monday opens at 08:00 EEST, an hour
        // earlier in UTC than Friday did.
        let friday = at("2026-03-27T15:00:00+02:00")
        #expect(office.add(2 * hour, to: friday) == at("2026-03-30T09:00:00+03:00"))
        #expect(office.businessDuration(from: friday, to: at("2026-03-30T09:00:00+03:00")) == 2 * hour)
        #expect(office.isOpen(at: at("2026-03-30T08:00:00+03:00")))
        #expect(!office.isOpen(at: at("2026-03-30T07:30:00+03:00")))
        // Open around the clock, the night of the change is an hour short.
        let shortDay = always.businessDuration(
            from: at("2026-03-28T12:00:00+02:00"),
            to: at("2026-03-29T12:00:00+03:00")
        )
        #expect(shortDay == 23 * hour)
        #expect(always.add(24 * hour, to: at("2026-03-28T12:00:00+02:00")) == at("2026-03-29T13:00:00+03:00"))
    }

    @Test func fallBackInHelsinki() {
        // DST ends on Sunday 25 October 2026: 04:00 EEST becomes 03:00 EET.
        let friday = at("2026-10-23T15:00:00+03:00")
        #expect(office.add(2 * hour, to: friday) == at("2026-10-26T09:00:00+02:00"))
        #expect(office.businessDuration(from: friday, to: at("2026-10-26T09:00:00+02:00")) == 2 * hour)
        // Open around the clock, the night of the change is an hour long.
        let longDay = always.businessDuration(
            from: at("2026-10-24T12:00:00+03:00"),
            to: at("2026-10-25T12:00:00+02:00")
        )
        #expect(longDay == 25 * hour)
        #expect(always.add(24 * hour, to: at("2026-10-24T12:00:00+03:00")) == at("2026-10-25T11:00:00+02:00"))
    }

    @Test func wallClockTimesThatDoNotExistOrHappenTwice() throws {
        // 03:30 does not exist on 29 March 2026 (moves forward an hour); on 25 October it happens twice (the first).
        #expect(office.instant(of: SupportTestTimes.day("2026-03-29"), minute: 210) == at("2026-03-29T04:30:00+03:00"))
        #expect(office.instant(of: SupportTestTimes.day("2026-10-25"), minute: 210) == at("2026-10-25T03:30:00+03:00"))
        #expect(office.instant(of: SupportTestTimes.day("2026-10-25"), minute: 300) == at("2026-10-25T05:00:00+02:00"))
        #expect(office.localDate(of: at("2026-03-29T23:59:00+03:00")).description == "2026-03-29")
        #expect(office.localDate(of: at("2026-03-29T22:30:00Z")).description == "2026-03-30")
    }

    @Test func ownHoursZoneAndClosedDays() throws {
        let shortFriday = try OpeningHours(8, to: 12)
        let calendar = try BusinessCalendar(
            timeZone: "Europe/Stockholm",
            hours: [
                .monday: [try OpeningHours(8, to: 11), try OpeningHours(parsing: "12.00–17.00")],
                .friday: [shortFriday],
            ],
            publicHolidays: .none,
            closedDays: [Holiday(date: SupportTestTimes.day("2026-12-07"), name: .english("Company day"))]
        )
        // Monday has two stretches (8 h), Friday 4 h: a business day is the longest, 8 h.
        #expect(calendar.businessDayLength == 8 * hour)
        #expect(!calendar.isOpen(at: at("2026-11-30T11:30:00+01:00")))  // lunch
        #expect(calendar.isOpen(at: at("2026-11-30T12:00:00+01:00")))
        // Friday 4 Dec 11:00 + 3 h: 1 h on Friday, Monday 7 Dec is closed, so 2 h on Friday 11 Dec; + 7 h
        // reaches Monday 14 Dec.
        #expect(calendar.add(3 * hour, to: at("2026-12-04T11:00:00+01:00")) == at("2026-12-11T10:00:00+01:00"))
        #expect(calendar.add(7 * hour, to: at("2026-12-04T11:00:00+01:00")) == at("2026-12-14T10:00:00+01:00"))
        #expect(calendar.holiday(on: SupportTestTimes.day("2026-12-07"))?.name.en == "Company day")
        // Without public holidays, Christmas Day 2026 (a Friday) is open.
        #expect(calendar.isOpen(at: at("2026-12-25T09:00:00+01:00")))
        #expect(!office.isOpen(at: at("2026-12-25T09:00:00+02:00")))
    }

    @Test func badConfigurationNamesTheField() throws {
        func problems(_ make: () throws -> Any) -> [FieldProblem] {
            do {
                _ = try make()
                return []
            } catch let failure as ValidationFailed {
                return failure.problems
            } catch {
                return []
            }
        }
        let zone = problems { try BusinessCalendar(timeZone: "Mars/Olympus_Mons") }
        #expect(zone.map(\.field) == ["timeZone"])
        #expect(zone.first?.reason(in: .fi) == "tuntematon aikavyöhyke: käytä IANA-nimeä, kuten Europe/Helsinki")
        #expect(zone.first?.reason(in: .sv) == "okänd tidszon: använd ett IANA-namn som Europe/Helsinki")

        let backwards = problems { try OpeningHours(16, to: 8, field: "hours.monday") }
        #expect(backwards.map(\.field) == ["hours.monday"])
        #expect(backwards.first?.reason == "the closing time must be after the opening time")
        #expect(backwards.first?.reason(in: .sv) == "stängningstiden måste vara efter öppningstiden")
        #expect(problems { try OpeningHours(8, to: 8) }.count == 1)
        #expect(problems { try OpeningHours(8, to: 25) }.first?.reason == "use times from 00:00 to 24:00")
        #expect(problems { try OpeningHours(8, 60, to: 9) }.count == 1)
        #expect(problems { try OpeningHours(parsing: "8-16", field: "hours.friday") }.map(\.field) == ["hours.friday"])
        #expect(try OpeningHours(parsing: "8:00 - 16:30").description == "08:00-16:30")

        let overlapping = problems {
            try BusinessCalendar(hours: [.tuesday: [try OpeningHours(8, to: 12), try OpeningHours(11, to: 16)]])
        }
        #expect(overlapping.map(\.field) == ["hours.tuesday"])
        #expect(overlapping.first?.reason(in: .sv) == "öppettiderna för en dag överlappar varandra")
        // Stretches that touch are fine.
        #expect(
            problems {
                try BusinessCalendar(hours: [.tuesday: [try OpeningHours(8, to: 12), try OpeningHours(12, to: 16)]])
            }.isEmpty
        )

        // Every problem at once.
        let closed = problems { try BusinessCalendar(timeZone: "Nowhere", hours: [:]) }
        #expect(closed.map(\.field) == ["timeZone", "hours"])
        #expect(closed.last?.reason(in: .fi) == "avoinna vähintään yhtenä viikonpäivänä")
    }

    @Test func codableRoundTripValidates() throws {
        let calendar = try BusinessCalendar(
            timeZone: "Europe/Helsinki",
            hours: [.monday: [try OpeningHours(9, to: 17)], .saturday: [try OpeningHours(10, 30, to: 14)]],
            closedDays: [Holiday(date: SupportTestTimes.day("2026-12-31"), name: .english("Company day"))]
        )
        let data = try JSONEncoder().encode(calendar)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""10:30-14:00""#))
        #expect(json.contains(#""2026-12-31""#))
        #expect(try JSONDecoder().decode(BusinessCalendar.self, from: data) == calendar)

        let bad = #"{"timeZone":"Europe/Helsinki","hours":{"monday":["09:00-08:00"]},"publicHolidays":"finland"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BusinessCalendar.self, from: Data(bad.utf8)) }
        let noZone = #"{"timeZone":"Atlantis","hours":{"monday":["09:00-10:00"]},"publicHolidays":"finland"}"#
        #expect(throws: ValidationFailed.self) {
            try JSONDecoder().decode(BusinessCalendar.self, from: Data(noZone.utf8))
        }
    }
}
