import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The site root is the trust center's front page, for anyone, in the reader's language: it leads to the code
/// check, the support pages and the certificates, lists only current published certificates, and shows the
/// security contacts only when they are configured.
@Suite struct TrustCenterHomeTests {
    @Test(arguments: TestDatabases.engines)
    func theRootIsThePublicFrontPageInEachLanguage(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine, configure: { $0.securityContacts = ["mailto:security@aurora.example"] }) {
            app in
            let now = app.clock.now
            func day(_ offset: Int) -> String {
                String(NoticeDate.minute(now.addingTimeInterval(Double(offset) * 86_400)).prefix(10))
            }
            for (standard, from, until, published) in [
                ("ISO/IEC 27001:2022", -10, 300, true), ("SOC 2 Type II", -400, -2, true),
                ("Hidden scheme", -10, 300, false),
            ] {
                let input = try #require(
                    CertificateInput.checked(
                        standard: standard,
                        issuer: "Body <i>x</i>",
                        scope: "All",
                        validFrom: day(from),
                        validUntil: day(until),
                        published: published
                    ).input
                )
                _ = try await app.store.certificates.create(input, by: Caller(.system, ip: "test"), now: now)
            }
            let expected: [(Language, String)] = [
                (.en, "Trust center"), (.fi, "Luottamuskeskus"), (.sv, "Förtroendecenter"),
            ]
            for (language, heading) in expected {
                let response = try await app.get(
                    Routes.root.path(),
                    headers: [.acceptLanguage: "\(language.rawValue);q=1, de;q=0.5"]
                )
                let html = WebTestApp.text(response)
                #expect(response.status == .ok, "not a redirect to the console")
                #expect(html.contains("<html lang=\"\(language.rawValue)\""))
                let other = Language.allCases.first { $0 != language }!.rawValue
                #expect(html.contains("hreflang=\"\(other)\" href=\"/?lang=\(other)\""), "the language switch")
                #expect(html.contains("<h1>\(heading)</h1>"), "\(language)")
                for route in [Routes.verifyNotice, Routes.supportHome, Routes.publicCertificates, Routes.securityTxt] {
                    #expect(html.contains("href=\"\(route.path())\""), "\(language): \(route)")
                }
                #expect(html.contains("ISO/IEC 27001:2022"))
                #expect(!html.contains("SOC 2 Type II"), "an expired one is not held now")
                #expect(!html.contains("Hidden scheme"), "unpublished")
                #expect(!html.contains("<i>x</i>") && html.contains("&lt;i&gt;x&lt;/i&gt;"))
                #expect(html.contains("href=\"mailto:security@aurora.example\""))
                #expect(!html.contains(Routes.dashboard.path()), "no console links for the public")
                #expect(response.headers[.cacheControl] == "public, max-age=30")
            }
        }
        try await WebTestApp.run { app in
            let html = WebTestApp.text(try await app.get(Routes.root.path()))
            #expect(!html.contains("security.txt") && !html.contains("mailto:"), "no contact configured")
            // A chosen language sets the cookie, so that answer is not for shared caches; its text is translated.
            let swedish = try await app.get(Routes.root.path() + "?lang=sv")
            #expect(swedish.headers[.cacheControl] == "private, max-age=30")
            #expect(WebTestApp.text(swedish).contains("skyddar dina uppgifter"))
            // The demo's register: one valid for years, one within its reminder window.
            #expect(try await DemoCertificates.seed(store: app.store, now: app.clock.now) == 2)
            let statuses = try await app.store.certificates.list().map { $0.status(now: app.clock.now) }
            #expect(statuses.contains(.valid) && statuses.contains(.expiringSoon(daysLeft: 21)))
        }
    }
}
