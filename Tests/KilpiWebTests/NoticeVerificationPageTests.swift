import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The trust center's "Is this message from us?" through HTTP: the page in each language answers genuine or not
/// and nothing else about the notice, refuses a malformed code naming the field, needs its form token, and is
/// counted per source; the JSON answer says one bit; security.txt comes from the settings or not at all.
@Suite struct NoticeVerificationPageTests {
    static let genuineHeading: [Language: String] = [
        .en: "Yes, we sent a notice with this code",
        .fi: "Kyllä, lähetimme ilmoituksen tällä koodilla",
        .sv: "Ja, vi har skickat ett meddelande med den här koden",
    ]
    static let fakeHeading: [Language: String] = [
        .en: "No, we have not sent a notice with this code",
        .fi: "Ei, emme ole lähettäneet ilmoitusta tällä koodilla",
        .sv: "Nej, vi har inte skickat något meddelande med den här koden",
    ]

    @Test(arguments: TestDatabases.engines)
    func eachLanguageSaysGenuineOrNotAndNothingElseAboutTheNotice(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            for (index, customer) in f.notified.enumerated() {
                let language = Language.allCases[index % Language.allCases.count]
                var browser = SupportBrowser(app)
                let form = try await browser.get(Routes.verifyNotice.path() + "?lang=\(language.rawValue)")
                #expect(form.status == .ok)
                #expect(WebTestApp.text(form).contains("<html lang=\"\(language.rawValue)\""))
                let cookie = try #require(WebTestApp.setCookies(form)[RouteRegistry.preSessionCSRFCookie])
                #expect(cookie.attribute("Path") == "/verify" && cookie.has("HttpOnly"))
                #expect(form.headers[.cacheControl] == "no-store")

                let typed = customer.row.referenceCode.lowercased()
                let genuine = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", typed)])
                let html = WebTestApp.text(genuine)
                #expect(genuine.status == .ok)
                #expect(html.contains(try #require(Self.genuineHeading[language])), "\(language)")
                #expect(!html.contains(try #require(Self.fakeHeading[language])))
                // One bit: not whose notice, not what it said.
                #expect(!html.contains(HTML.escape(customer.firstName)) && !html.contains(customer.surname))
                #expect(!html.contains(customer.email) && !html.contains("Shop breach"))
                for category in customer.snapshot { #expect(!html.contains("data-category=\"\(category)\"")) }
                #expect(html.contains("href=\"/support\""), "the way to the customer's own page")

                let fake = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", "ZZZZ-ZZZZ")])
                #expect(fake.status == .ok)
                #expect(WebTestApp.text(fake).contains(try #require(Self.fakeHeading[language])))
            }
        }
    }

    @Test func aMalformedOrHostileCodeIsRefusedNamingTheFieldAndEchoedAsText() async throws {
        try await WebTestApp.run { app in
            for (language, field) in [(Language.en, "Reference code"), (.fi, "Viitekoodi"), (.sv, "Referenskod")] {
                var browser = SupportBrowser(app)
                _ = try await browser.get(Routes.verifyNotice.path() + "?lang=\(language.rawValue)")
                for hostile in ["<script>alert(1)</script>", "=HYPERLINK(\"http://evil.example\")", "K7M4"] {
                    let answer = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", hostile)])
                    let html = WebTestApp.text(answer)
                    #expect(answer.status == .badRequest, "\(hostile)")
                    #expect(html.contains("\(field):"), "\(language)")
                    #expect(html.contains("aria-invalid=\"true\""))
                    #expect(!html.contains("<script>alert"))
                    #expect(html.contains(HTML.escape(hostile)), "what was typed stays in the field")
                }
            }
            // A huge input is cut, not stored or echoed whole.
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.verifyNotice.path())
            let huge = try await browser.post(
                Routes.verifyNoticeCheck.path(),
                [("code", String(repeating: "K", count: 200_000))]
            )
            #expect(huge.status == .badRequest)
            #expect(
                !WebTestApp.text(huge).contains(String(repeating: "K", count: NoticeVerifier.maximumInputLength + 1))
            )
        }
    }

    @Test func theCheckNeedsItsFormTokenAndIsCountedPerSource() async throws {
        try await WebTestApp.run { app in
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.verifyNotice.path())
            let forged = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", "ZZZZ-ZZZZ")], csrf: "x")
            #expect(forged.status == .forbidden)

            let limit = app.store.supportLinks.settings.limits.referenceChecksPerSource
            for index in 0..<limit {
                let symbol = NoticeReferenceCode.alphabet[index % 32]
                let answer = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", "ZZZZ-ZZZ\(symbol)")])
                #expect(answer.status == .ok, "check \(index + 1)")
            }
            let page = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", "ZZZZ-ZZZZ")])
            #expect(page.status == .tooManyRequests)
            #expect(Int(page.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(WebTestApp.text(page).contains("too many checks"))
            // The JSON door shares the count: a script cannot switch doors for more guesses.
            let api = try await app.get(Routes.publicVerifyAPI.path() + "?code=ZZZZ-ZZZZ")
            #expect(api.status == .tooManyRequests)
            #expect(
                try WebTestApp.json(api)["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "throttled"
            )
            #expect(Int(api.headers[.retryAfter] ?? "") ?? 0 > 0)
            // A malformed code is answered without a slot, so it still gets its clear error.
            let malformed = try await browser.post(Routes.verifyNoticeCheck.path(), [("code", "K7M4")])
            #expect(malformed.status == .badRequest)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func theJSONAnswerIsOneBit(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 2)
            let code = f.notified[0].row.referenceCode
            let genuine = try await app.get(Routes.publicVerifyAPI.path() + "?code=\(code)")
            #expect(genuine.status == .ok)
            let body = try WebTestApp.json(genuine)
            #expect(body.count == 1 && body["genuine"] as? Bool == true, "\(body)")
            // No CORS: another site cannot make its visitors' browsers guess codes for it.
            #expect(genuine.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == nil)
            #expect(genuine.headers[.cacheControl] == "no-store")

            let fake = try WebTestApp.json(try await app.get(Routes.publicVerifyAPI.path() + "?code=ZZZZ-ZZZZ"))
            #expect(fake.count == 1 && fake["genuine"] as? Bool == false)

            for query in ["", "?code=", "?code=%3Cscript%3E", "?other=K7M4-Q2XD"] {
                let refused = try await app.get(Routes.publicVerifyAPI.path() + query)
                #expect(refused.status == .badRequest, "\(query)")
                let error = try #require(try WebTestApp.json(refused)["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_parameter" && error["field"] as? String == "code")
            }
            // Only GET: the API's 405 names what is allowed.
            let posted = try await app.request(.post, Routes.publicVerifyAPI.path() + "?code=\(code)")
            #expect(posted.status == .methodNotAllowed)
        }
    }

    @Test func securityTxtComesFromTheSettingsOrNotAtAll() async throws {
        try await WebTestApp.run { app in
            let missing = try await app.get(Routes.securityTxt.path())
            #expect(missing.status == .notFound, "no invented contact")
        }
        // Behind a plain-http public URL the file has no Canonical rather than a wrong one (RFC 9116 asks https).
        try await WebTestApp.run(configure: { $0.securityContacts = ["mailto:security@aurora.example"] }) { app in
            let text = WebTestApp.text(try await app.get(Routes.securityTxt.path()))
            #expect(text.contains("Contact: mailto:security@aurora.example\r\n"))
            #expect(!text.contains("Canonical:"), "\(text)")
        }
        try await WebTestApp.run(configure: {
            $0.publicBaseURL = "https://trust.aurora.example"
            $0.securityContacts = ["mailto:security@aurora.example", "https://aurora.example/report"]
            $0.securityPolicy = "https://aurora.example/disclosure"
        }) { app in
            let response = try await app.get(Routes.securityTxt.path())
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            let text = WebTestApp.text(response)
            #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                lines.filter { $0.hasPrefix("Contact: ") }
                    == ["Contact: mailto:security@aurora.example", "Contact: https://aurora.example/report"]
            )
            #expect(lines.contains("Policy: https://aurora.example/disclosure"))
            #expect(lines.contains("Preferred-Languages: en, fi, sv"))
            #expect(lines.contains("Canonical: https://trust.aurora.example/.well-known/security.txt"))
            // Exactly one Expires (RFC 9116 §2.5.5), in the future and less than a year ahead.
            let expires = lines.filter { $0.hasPrefix("Expires: ") }
            #expect(expires.count == 1)
            let formatter = ISO8601DateFormatter()
            let stamp = try #require(expires.first).dropFirst(9)
            let date = try #require(formatter.date(from: String(stamp)))
            #expect(date > app.clock.now.addingTimeInterval(29 * 86_400))
            #expect(date < app.clock.now.addingTimeInterval(365 * 86_400))
        }
    }

    @Test func aContactThatCouldWriteFieldsOfItsOwnIsRefused() {
        #expect(SecurityTxt.problem(contact: "mailto:security@aurora.example") == nil)
        #expect(SecurityTxt.problem(contact: "tel:+358-40-123-4567") == nil)
        #expect(SecurityTxt.problem(contact: "https://aurora.example/report") == nil)
        for bad in [
            "mailto:security@aurora.example\r\nContact: mailto:evil@example.net", "http://aurora.example/report",
            "security@aurora.example", "mailto:not an address", "tel:call-me", "https://", "ftp://aurora.example",
            "https://aurora.example/a b", "tel:+358 40 123 4567", "tel:1+2", "tel:+", "https://aurora.example/\u{7F}",
            "https://äö.example/",
        ] {
            #expect(SecurityTxt.problem(contact: bad) != nil, "\(bad.debugDescription)")
        }
        #expect(SecurityTxt.problem(url: "http://aurora.example/policy") != nil)
    }
}
