import Foundation
import Testing

@testable import KilpiCore

/// The hand-written fast paths that imports use must answer exactly as the Foundation code they stand in for.
@Suite("Import fast paths")
struct ImportFastPathTests {
    @Test(arguments: [
        "", " ", "\t", "abc", " abc", "abc ", "\t a b \t", "  ", "Äijä", " Äijä ", "\u{00A0}x\u{00A0}", " \u{00A0}x",
        "x\u{2003}", "\u{3000} x ", "a\nb", "\n x \n", " \r", "é", " é ", "x\u{0301} ", "\u{FEFF}x",
    ])
    func trimmingMatchesFoundation(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test func dayParsingMatchesTheCalendarForEveryDayOfSeveralYears() {
        for year in [1600, 1899, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 9999] {
            for month in 0...13 {
                for day in 0...32 {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    #expect(UTCDay.parseDigits(text) == .some(UTCDay.parseWithCalendar(text)), "\(text)")
                }
            }
        }
    }

    @Test(arguments: [
        "1582-10-20", "0001-01-01", "+202-01-01", "2024-1-01", "2024-01-1", "2024/01/01", "２０２４-01-01", "2024-01-01 ",
        "",
    ])
    func textTheFastPathLeavesAloneStillParsesAsBefore(_ text: String) {
        #expect(UTCDay.parseDigits(text) == nil)
        #expect(UTCDay.parse(text) == UTCDay.parseWithCalendar(text))
    }

    @Test(arguments: [
        "a@example.com", "a.b+c@sub.example.fi", "@example.com", "a@", "a@example", "a@.example.com", "a@example.com.",
        "a@example..com", "a@@example.com", "a@b@example.com", "a b@example.com", "a\t@example.com",
        "a@exa\r\nmple.com",
        "<a@example.com>", "\"a\"@example.com", "a,b@example.com", "a;b@example.com", "", "@", "a@b.c",
        String(repeating: "a", count: 243) + "@example.com", String(repeating: "a", count: 242) + "@example.com",
        "äiti@example.fi", "a@exämple.fi", "a\u{00A0}@example.com",
    ])
    func emailCheckMatchesTheGeneralRule(_ email: String) {
        if let fast = EmailAddress.isPlausibleASCII(email) {
            #expect(fast == Self.generalRule(email), "\(email)")
        }
        #expect(EmailAddress.isPlausible(email) == Self.generalRule(email), "\(email)")
    }

    /// `EmailAddress.isPlausible` as it was before its ASCII fast path.
    static func generalRule(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !parts[1].contains("..")
            && email.count <= 254
            && !email.contains(where: {
                $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "," || $0 == ";"
            })
    }

    @Test func headerFindsColumnsInAnySpelling() throws {
        let header = try CSVHeader(
            CSVRecord(line: 1, fields: [" Email ", "external_id"]),
            required: ["email", "external_id"]
        )
        #expect(
            header.index(of: "email") == 0 && header.index(of: " EMAIL") == 0 && header.index(of: "external_id") == 1
        )
    }
}
