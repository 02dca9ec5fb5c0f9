import Foundation
import KilpiCore
import Testing

@Suite struct NoticeDateMinuteTests {
    static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter
    }()

    @Test("the minute stamp is what a UTC DateFormatter prints, on edges and over many random instants")
    func matchesTheFormatter() {
        var instants: [TimeInterval] = [
            0, -1, -86_400, 59.999, 951_782_400,  // 2000-02-29
            4_107_542_399,  // 2100-02-28 23:59:59
            1_796_083_199.5, -2_208_988_800,  // 1900-01-01
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { instants.append(TimeInterval.random(in: -3e9...6e9, using: &generator)) }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(NoticeDate.minute(date) == Self.formatter.string(from: date), "\(instant)")
        }
        #expect(NoticeDate.minute(Date(timeIntervalSince1970: 1_795_000_000), separator: " ") == "2026-11-18 11:06")
    }
}

/// A form's time outside 1970–9999 is refused naming the field: before 1582 the parser's calendar (Julian) and the
/// display's (proleptic Gregorian) differ by days, so a mistyped year would be shown wrong and move on each save.
@Suite struct IncidentTimeRangeTests {
    @Test(arguments: ["1500-01-01T00:00", "1026-06-01T12:00", "0001-01-01T00:00", "1969-12-31T23:59"])
    func aYearOutsideTheRangeIsRefusedNamingTheField(typed: String) {
        var problems: [FieldProblem] = []
        #expect(IncidentInput.time(typed, field: "occurred_at", form: .utcOrZoned, into: &problems) == nil)
        #expect(problems.map(\.field) == ["occurred_at"])
        #expect(problems.first?.description(in: .en).contains("between 1970 and 9999") == true)
        #expect(problems.first?.description(in: .fi).contains("1970") == true)
        #expect(IncidentInput.parseTime(typed, form: .utcOrZoned) == nil)
    }

    @Test func theEdgesOfTheRangeReadBackAsTyped() {
        for typed in ["1970-01-01T00:00", "2026-11-25T08:30", "9999-12-31T23:59"] {
            var problems: [FieldProblem] = []
            let date = IncidentInput.time(typed, field: "occurred_at", form: .utcOrZoned, into: &problems)
            #expect(problems.isEmpty, "\(typed)")
            #expect(date.map { NoticeDate.minute($0) } == typed)
        }
        // The API's format check takes any year (the schema's), so a schema-valid body is never a 400 for it.
        #expect(IncidentInput.parseTime("1500-01-01T00:00:00Z", form: .zoned, anyYear: true) != nil)
    }
}
