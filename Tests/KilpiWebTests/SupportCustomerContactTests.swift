import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The contact form for people without a link or code: the address gets a code, the code and the question make an
/// inquiry, and the pages never tell whether the address is a customer's.
@Suite struct SupportCustomerContactTests {
    /// Starts a verification for `email` and returns the browser (on the code page) and the challenge.
    static func start(
        _ app: WebTestApp,
        _ f: SupportPortalFixture,
        email: String
    ) async throws -> (SupportBrowser, String, TestResponse) {
        var browser = SupportBrowser(app)
        let form = try await browser.get(Routes.supportContact.path())
        #expect(form.status == .ok)
        #expect(WebTestApp.text(form).contains("<option value=\"\(f.incident.id)\""))
        let started = try await browser.post(
            Routes.supportContactStart.path(),
            [("email", email), ("incident", String(f.incident.id))]
        )
        #expect(started.status == .ok)
        let challenge = try #require(WebTestApp.hiddenField("challenge", in: started))
        return (browser, challenge, started)
    }

    @Test(arguments: TestDatabases.engines)
    func startVerifyReceiptAndTheSameForAnAddressOfNobody(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            var receipts: [String] = []
            var codePages: [String] = []
            for email in [customer.email, "stranger@example.org"] {
                var (browser, challenge, started) = try await Self.start(app, f, email: email)
                codePages.append(
                    WebTestApp.text(started).replacingOccurrences(of: email, with: "ADDRESS")
                        .replacingOccurrences(of: challenge, with: "CHALLENGE")
                        .replacingOccurrences(of: browser.csrf ?? "", with: "CSRF")
                )
                let code = try await recoverContactCode(app.store, challenge: challenge)
                let wrongCode = code == "000000" ? "111111" : "000000"
                let wrong = try await browser.post(
                    Routes.supportContactVerify.path(),
                    [("challenge", challenge), ("email", email), ("code", wrongCode), ("text", "My question")]
                )
                #expect(wrong.status == .badRequest)
                #expect(WebTestApp.text(wrong).contains("Code: that code is not right"))
                #expect(WebTestApp.text(wrong).contains("My question"), "the question is kept")
                let sent = try await browser.post(
                    Routes.supportContactVerify.path(),
                    [("challenge", challenge), ("email", email), ("code", code), ("text", "My question")]
                )
                #expect(sent.status == .ok)
                receipts.append(WebTestApp.text(sent))
                let replay = try await browser.post(
                    Routes.supportContactVerify.path(),
                    [("challenge", challenge), ("email", email), ("code", code), ("text", "Again")]
                )
                #expect(replay.status == .badRequest)
                #expect(WebTestApp.text(replay).contains("Code: that code was used already"))
            }
            #expect(receipts[0] == receipts[1], "one receipt for a customer and for nobody")
            #expect(codePages[0] == codePages[1], "one code page for a customer and for nobody")
            let inquiries = try await InquiryService(store: app.store).list(InquiryFilter(incidentID: f.incident.id))
            #expect(inquiries.count == 2)
            #expect(Set(inquiries.map(\.customerID)) == [customer.customerID, nil])
            #expect(inquiries.allSatisfy { $0.channel == .contactForm })
        }
    }

    @Test(arguments: TestDatabases.engines)
    func anExpiredCodeAndBadInputAreRefusedClearly(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            var (browser, challenge, _) = try await Self.start(app, f, email: "late@example.org")
            let code = try await recoverContactCode(app.store, challenge: challenge)
            app.clock.advance(16 * 60)
            let late = try await browser.post(
                Routes.supportContactVerify.path(),
                [("challenge", challenge), ("email", "late@example.org"), ("code", code), ("text", "Hello")]
            )
            #expect(late.status == .badRequest)
            #expect(WebTestApp.text(late).contains("Code: that code has expired"))
            #expect(WebTestApp.text(late).contains("href=\"\(Routes.supportContact.path())\""), "ask for a new one")

            // An address that is not one, an incident not offered, in Finnish.
            browser.cookies["kilpi_lang"] = "fi"
            let bad = try await browser.post(
                Routes.supportContactStart.path(),
                [("email", "not an address"), ("incident", String(f.incident.id))]
            )
            #expect(bad.status == .badRequest)
            #expect(WebTestApp.text(bad).contains("Sähköpostiosoite: tämä ei näytä sähköpostiosoitteelta"))
            let unknown = try await browser.post(
                Routes.supportContactStart.path(),
                [("email", "a@example.org"), ("incident", "999999")]
            )
            #expect(unknown.status == .badRequest)
            #expect(WebTestApp.text(unknown).contains("Tapaus: valitse luettelosta"))
            // An empty question with a right code: refused naming the field, the code not used up.
            var (fresh, challenge2, _) = try await Self.start(app, f, email: "empty@example.org")
            let code2 = try await recoverContactCode(app.store, challenge: challenge2)
            let empty = try await fresh.post(
                Routes.supportContactVerify.path(),
                [("challenge", challenge2), ("email", "empty@example.org"), ("code", code2), ("text", "")]
            )
            #expect(empty.status == .badRequest)
            #expect(WebTestApp.text(empty).contains("Your message: write your message"))
            let then = try await fresh.post(
                Routes.supportContactVerify.path(),
                [("challenge", challenge2), ("email", "empty@example.org"), ("code", code2), ("text", "Now")]
            )
            #expect(then.status == .ok)
        }
    }

    @Test func codeRequestsAreLimitedPerAddress() async throws {
        try await WebTestApp.run { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportContact.path())
            let limit = SupportLimits.standard.verificationsPerEmail
            for _ in 0..<limit {
                let ok = try await browser.post(
                    Routes.supportContactStart.path(),
                    [("email", "bomb@example.org"), ("incident", String(f.incident.id))]
                )
                #expect(ok.status == .ok)
            }
            let refused = try await browser.post(
                Routes.supportContactStart.path(),
                [("email", "bomb@example.org"), ("incident", String(f.incident.id))]
            )
            #expect(refused.status == .tooManyRequests)
            #expect(WebTestApp.text(refused).contains("too many attempts"))
        }
    }
}
