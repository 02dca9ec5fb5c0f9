import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Opening the page by reference code and email address typed on `/support`: the sealed cookie that keeps it (no
/// secret in a URL), the same kind answer for every wrong pair, the limits, and revocation on the next click.
@Suite struct SupportCustomerCodeTests {
    @Test(arguments: TestDatabases.engines)
    func theCodeAndAddressOpenTheOwnPageKeptByASealedCookie(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 6)
            for customer in f.notified {
                var browser = SupportBrowser(app)
                let home = try await browser.get(Routes.supportHome.path())
                #expect(home.status == .ok)
                let csrfCookie = try #require(WebTestApp.setCookies(home)[RouteRegistry.preSessionCSRFCookie])
                #expect(csrfCookie.attribute("Path") == "/support" && csrfCookie.has("HttpOnly"))
                #expect(WebTestApp.text(home).contains("href=\"\(Routes.verifyNotice.path())\""), "the code check")
                let opened = try await browser.post(
                    Routes.supportOpen.path(),
                    [("code", customer.row.referenceCode.lowercased()), ("email", " " + customer.email.uppercased())]
                )
                #expect(opened.status == .seeOther)
                let location = try #require(opened.headers[.location])
                #expect(location == Routes.supportCodePage.path(), "no code or address in the URL")
                let cookie = try #require(WebTestApp.setCookies(opened)[SupportCodeSession.cookieName])
                #expect(cookie.has("HttpOnly") && cookie.attribute("SameSite")?.lowercased() == "strict")
                #expect(cookie.attribute("Path") == "/support")
                #expect(!cookie.value.contains(customer.email) && !cookie.value.contains(customer.row.referenceCode))
                let page = try await browser.get(location)
                let html = WebTestApp.text(page)
                #expect(page.status == .ok)
                #expect(SupportCustomerPageTests.categories(html) == customer.snapshot)
                #expect(!html.contains(customer.email) && !html.contains(customer.surname))
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                let opening = try await app.store.supportLinks.opening(outboxID: customer.row.rowID)
                #expect(opening?.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func wrongPairsGetOneKindAnswerAndAreLimited(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let (first, second) = (f.notified[0], f.notified[1])
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportHome.path())
            var bodies: Set<String> = []
            for (code, email) in [
                (first.row.referenceCode, second.email), (second.row.referenceCode, first.email),
                ("ZZZZ-ZZZZ", first.email), (first.row.referenceCode, "nobody@example.com"),
            ] {
                let response = try await browser.post(Routes.supportOpen.path(), [("code", code), ("email", email)])
                #expect(response.status == .notFound)
                #expect(WebTestApp.setCookies(response)[SupportCodeSession.cookieName] == nil)
                let html = WebTestApp.text(response)
                SupportCustomerPageTests.expectKind(html)
                bodies.insert(html)
            }
            #expect(bodies.count == 1, "the same page whatever part is wrong")
            // Empty fields are named in the reader's language, nothing looked up.
            let empty = try await app.request(
                .post,
                Routes.supportOpen.path(),
                headers: [.contentType: "application/x-www-form-urlencoded"],
                cookies: browser.cookies.merging(["kilpi_lang": "fi"]) { $1 },
                body: WebTestApp.urlencode([("code", ""), ("email", ""), ("_csrf", browser.csrf ?? "")])
            )
            #expect(empty.status == .badRequest)
            #expect(WebTestApp.text(empty).contains("Viitekoodi: kirjoita ilmoituksesi koodi"))
            #expect(WebTestApp.text(empty).contains("Sähköpostiosoite: kirjoita sähköpostiosoitteesi"))
            // Once the first code has used its wrong guesses (five per window), further guesses are refused, but the
            // right pair still opens the page: guesses made with a customer's code never lock the customer out.
            let limit = app.store.supportLinks.settings.limits.codeAttemptsPerCode
            for attempt in 0..<(limit - 1) {
                _ = try await browser.post(
                    Routes.supportOpen.path(),
                    [("code", first.row.referenceCode), ("email", "guess\(attempt)@example.com")]
                )
            }
            let throttled = try await browser.post(
                Routes.supportOpen.path(),
                [("code", first.row.referenceCode), ("email", "one-more@example.com")]
            )
            let right = try await browser.post(
                Routes.supportOpen.path(),
                [("code", first.row.referenceCode), ("email", first.email)]
            )
            #expect(right.status == .seeOther)
            #expect(throttled.status == .tooManyRequests)
            #expect(WebTestApp.text(throttled).contains("Too many attempts"))
            SupportCustomerPageTests.expectKind(WebTestApp.text(throttled))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aRevokedCampaignOrAnAlteredOrOldCookieClosesThePage(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportHome.path())
            _ = try await browser.post(
                Routes.supportOpen.path(),
                [("code", customer.row.referenceCode), ("email", customer.email)]
            )
            let sealed = try #require(browser.cookies[SupportCodeSession.cookieName])
            #expect(try await browser.get(Routes.supportCodePage.path()).status == .ok)

            // Altered: not opened, asked to type again.
            var altered = browser
            altered.cookies[SupportCodeSession.cookieName] =
                String(sealed.dropLast()) + (sealed.hasSuffix("A") ? "B" : "A")
            Self.expectTypeAgain(try await altered.get(Routes.supportCodePage.path()))

            // Past its half hour.
            app.clock.advance(SupportCodeSession.lifetime + 1)
            var late = browser
            let closed = try await late.get(Routes.supportCodePage.path())
            Self.expectTypeAgain(closed)

            // A fresh opening, then the campaign's links are revoked: the next click is refused.
            var again = SupportBrowser(app)
            _ = try await again.get(Routes.supportHome.path())
            _ = try await again.post(
                Routes.supportOpen.path(),
                [("code", customer.row.referenceCode), ("email", customer.email)]
            )
            #expect(try await again.get(Routes.supportCodePage.path()).status == .ok)
            _ = try await app.store.supportLinks.revokeCampaign(
                campaignID: f.campaign.id,
                by: Caller(.user(f.agent.user.id), ip: "test"),
                now: app.clock.now
            )
            let revoked = try await again.get(Routes.supportCodePage.path())
            #expect(revoked.status == .gone)
            SupportCustomerPageTests.expectKind(WebTestApp.text(revoked))
            #expect(again.cookies[SupportCodeSession.cookieName] == nil, "the cookie is removed")
        }
    }

    @Test func leavingRemovesTheCookie() async throws {
        try await WebTestApp.run { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportHome.path())
            _ = try await browser.post(
                Routes.supportOpen.path(),
                [("code", customer.row.referenceCode), ("email", customer.email)]
            )
            _ = try await browser.get(Routes.supportCodePage.path())
            let left = try await browser.post(Routes.supportCodeLeave.path(), [])
            #expect(left.status == .seeOther)
            #expect(browser.cookies[SupportCodeSession.cookieName] == nil)
            Self.expectTypeAgain(try await browser.get(Routes.supportCodePage.path()))
        }
    }

    /// The answer without a (valid) code cookie: the code form again, with why, and no page.
    static func expectTypeAgain(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        let html = WebTestApp.text(response)
        #expect(response.status == .ok, sourceLocation: sourceLocation)
        #expect(html.contains("action=\"\(Routes.supportOpen.path())\""), sourceLocation: sourceLocation)
        #expect(html.contains("your page closes after 30 minutes"), sourceLocation: sourceLocation)
        #expect(SupportCustomerPageTests.categories(html).isEmpty, sourceLocation: sourceLocation)
    }
}
