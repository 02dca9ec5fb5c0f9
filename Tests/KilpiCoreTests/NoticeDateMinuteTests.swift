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
