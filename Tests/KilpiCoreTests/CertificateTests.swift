import Foundation
import Testing

@testable import KilpiCore

/// A certificate's state on a day and the checks on what is typed for one.
@Suite struct CertificateTests {
    static func day(_ text: String) -> Date { UTCDay.parse(text)! }

    static func certificate(from: String, until: String) -> Certificate {
        Certificate(
            id: 1,
            standard: "ISO/IEC 27001:2022",
            issuer: "Body",
            scope: "All",
            validFrom: day(from),
            validUntil: day(until),
            published: true,
            updatedBy: "user:1",
            updatedAt: Date()
        )
    }

    @Test func theStateFollowsTheDaysAndTheLastDayIsValidThroughout() {
        let certificate = Self.certificate(from: "2026-01-10", until: "2026-12-31")
        func at(_ text: String) -> Certificate.Status {
            certificate.status(now: ISO8601DateFormatter().date(from: text)!)
        }
        #expect(at("2026-01-09T23:59:59Z") == .notYetValid)
        #expect(at("2026-01-10T00:00:00Z") == .valid)
        #expect(at("2026-12-01T00:00:00Z") == .expiringSoon(daysLeft: 30))
        #expect(at("2026-11-30T23:59:59Z") == .valid, "31 days left is not yet a reminder")
        #expect(at("2026-12-31T23:59:59Z") == .expiringSoon(daysLeft: 0))
        #expect(at("2027-01-01T00:00:00Z") == .expired)
        #expect(at("2027-01-01T00:00:00Z").isCurrent == false && at("2026-06-01T00:00:00Z").isCurrent)
    }

    @Test func badInputIsRefusedNamingEachField() {
        let refused = CertificateInput.checked(
            standard: "  ",
            issuer: String(repeating: "x", count: CertificateInput.textLimit + 1),
            scope: "ok",
            validFrom: "2026-02-30",
            validUntil: "1500-01-01",
            published: false
        )
        #expect(refused.input == nil)
        #expect(refused.problems.map(\.field) == ["standard", "issuer", "valid_from", "valid_until"])
        #expect(refused.problems[2].description(in: .fi).contains("VVVV-KK-PP"))

        let backwards = CertificateInput.checked(
            standard: "PCI DSS",
            issuer: "QSA",
            scope: "Cards",
            validFrom: "2026-05-01",
            validUntil: "2026-04-30",
            published: true
        )
        #expect(backwards.problems.map(\.field) == ["valid_until"])

        let fine = CertificateInput.checked(
            standard: " SOC 2\nType II ",
            issuer: "Auditor",
            scope: "Platform",
            validFrom: "2026-05-01",
            validUntil: "2026-05-01",
            published: true
        )
        #expect(fine.problems.isEmpty)
        #expect(fine.input?.standard == "SOC 2 Type II", "one line, trimmed")
        #expect(fine.input?.validFrom == fine.input?.validUntil, "a one-day certificate is allowed")
    }
}
