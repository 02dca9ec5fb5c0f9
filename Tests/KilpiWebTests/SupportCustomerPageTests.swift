import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The personal page through HTTP: what it shows (exactly the customer's own categories, first name only, nothing of
/// anyone else), the link's lifecycle (use, expiry, revocation, unknown), escaping and the language.
@Suite struct SupportCustomerPageTests {
    /// The `data-category` ids on a page.
    static func categories(_ html: String) -> Set<String> {
        var found: Set<String> = []
        var rest = Substring(html)
        while let start = rest.range(of: "data-category=\"") {
            let tail = rest[start.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            found.insert(String(tail[..<end]))
            rest = tail[end...]
        }
        return found
    }

    /// Also with the campaign's shared content held (as `kilpi serve` holds it): the held part has nothing of any
    /// customer, so every page is still exactly its own.
    @Test(arguments: TestDatabases.engines, [false, true])
    func everyCustomerSeesExactlyTheirOwnCategoriesAndNobodyElse(engine: SQLEngine, held: Bool) async throws {
        try await WebTestApp.run(engine, configure: { $0.supportContentLifetime = held ? .seconds(600) : .zero }) {
            app in
            let f = try await SupportPortalFixture.make(app)
            for customer in f.notified {
                let token = try await f.link(app, customer)
                let response = try await app.get(Routes.supportPage.path(["token": token]))
                let html = WebTestApp.text(response)
                #expect(response.status == .ok, "\(customer.externalID)")
                #expect(Self.categories(html) == customer.snapshot, "\(customer.externalID)'s categories")
                #expect(html.contains(HTML.escape(customer.firstName)), "\(customer.externalID)'s first name")
                #expect(!html.contains(customer.surname), "only the first name")
                #expect(!html.contains(customer.email), "no address")
                for other in f.notified where other.customerID != customer.customerID {
                    #expect(
                        !html.contains(HTML.escape(other.firstName)),
                        "\(other.externalID) on \(customer.externalID)'s page"
                    )
                    #expect(!html.contains(other.surname) && !html.contains(other.email))
                }
                // Each category with its advice in the page's language, as the notice gives it.
                let available = try await app.store.dataMap.categories()
                for id in customer.snapshot {
                    let category = try #require(available.first { $0.id == id })
                    let advice = category.advice(customer.language).text
                    if !advice.isEmpty {
                        #expect(html.contains(HTML.escape(advice).replacingOccurrences(of: "\n", with: "<br>\n")))
                    }
                }
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(html.contains("<html lang=\"\(customer.language.rawValue)\""), "the notice's language")
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func hostileNamesAndTextAreShownAsText(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            for customer in f.notified.prefix(2) {
                var browser = SupportBrowser(app)
                let page = try await browser.get(Routes.supportPage.path(["token": try await f.link(app, customer)]))
                let html = WebTestApp.text(page)
                #expect(!html.contains("<script>alert"))
                #expect(!html.contains(SupportPortalFixture.formula))
                #expect(html.contains(HTML.escape(customer.firstName)))
                #expect(html.contains("Shop breach &lt;script&gt;"))
                #expect(html.contains("Card data was copied.<br>\nWe closed the hole."))
            }
            // A question with markup and two lines comes back as text with its line break.
            let customer = f.notified[2]
            let path = Routes.supportPage.path(["token": try await f.link(app, customer)])
            var browser = SupportBrowser(app)
            _ = try await browser.get(path)
            let asked = try await browser.post(
                path + "/questions",
                [("text", "<img src=x onerror=alert(1)>\n=HYPERLINK(\"x\")")]
            )
            #expect(asked.status == .seeOther)
            let html = WebTestApp.text(try await browser.get(path))
            #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;<br>\n=HYPERLINK(&quot;x&quot;)"))
            #expect(!html.contains("<img src=x"))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aLinkOpensUntilItExpiresOrIsRevokedAndTheOpeningIsRecorded(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let customer = f.notified[2]
            let token = try await f.link(app, customer)
            #expect(try await app.store.supportLinks.opening(outboxID: customer.row.rowID) == nil)
            let page = try await app.get(Routes.supportPage.path(["token": token]))
            #expect(page.status == .ok)
            let opening = try #require(try await app.store.supportLinks.opening(outboxID: customer.row.rowID))
            #expect(opening.count == 1 && opening.firstOpenedAt == app.clock.now)

            // Unknown: a kind page that says how to get in, no trace.
            let unknown = try await app.get(Routes.supportPage.path(["token": "A" + String(token.dropFirst())]))
            #expect(unknown.status == .notFound)
            Self.expectKind(WebTestApp.text(unknown))

            // Expired.
            app.clock.advance(app.store.supportLinks.settings.linkLifetime + 1)
            let expired = try await app.get(Routes.supportPage.path(["token": token]))
            #expect(expired.status == .gone)
            #expect(WebTestApp.text(expired).contains("This link has expired"))
            Self.expectKind(WebTestApp.text(expired))

            // Revoked (a fresh link first opens, then not).
            let fresh = try await f.link(app, customer)
            #expect(try await app.get(Routes.supportPage.path(["token": fresh])).status == .ok)
            let links = try await app.store.supportLinks.issue(outboxID: customer.row.rowID, now: app.clock.now)
            #expect(
                try await app.store.supportLinks.revoke(
                    linkID: links.linkID,
                    by: Caller(.user(f.agent.user.id), ip: "test"),
                    now: app.clock.now
                )
            )
            let revoked = try await app.get(Routes.supportPage.path(["token": links.token]))
            #expect(revoked.status == .gone)
            #expect(WebTestApp.text(revoked).contains("This link no longer works"))
            Self.expectKind(WebTestApp.text(revoked))
            #expect(revoked.headers[.cacheControl] == "no-store")
        }
    }

    @Test func wrongTokensAreLimitedPerSource() async throws {
        try await WebTestApp.run { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let limit = app.store.supportLinks.settings.limits.tokenFailuresPerSource
            for attempt in 0..<limit {
                let response = try await app.get(Routes.supportPage.path(["token": "wrong\(attempt)wrongwrongwrong"]))
                #expect(response.status == .notFound)
            }
            let refused = try await app.get(Routes.supportPage.path(["token": "wrongagainwrongwrong"]))
            #expect(refused.status == .tooManyRequests)
            #expect(WebTestApp.text(refused).contains("Too many attempts"))
            Self.expectKind(WebTestApp.text(refused))
            // A real link is never locked out by others' misses.
            let good = try await app.get(Routes.supportPage.path(["token": try await f.link(app, f.notified[2])]))
            #expect(good.status == .ok)
        }
    }

    @Test func thePageIsInTheNoticesLanguageAndSwitches() async throws {
        try await WebTestApp.run { app in
            let f = try await SupportPortalFixture.make(app, customers: 6)
            let swede = try #require(f.notified.first { $0.language == .sv })
            let path = Routes.supportPage.path(["token": try await f.link(app, swede)])
            let swedish = WebTestApp.text(try await app.get(path))
            #expect(swedish.contains("Vilka av dina uppgifter som berördes"))
            let finnish = try await app.get(path + "?lang=fi")
            #expect(WebTestApp.text(finnish).contains("Mitä tietojasi asia koski"))
            #expect(WebTestApp.setCookies(finnish)[Language.cookieName]?.value == "fi")
            // The switch links lead back to the same page.
            #expect(swedish.contains("href=\"\(path)?lang=en\""))
        }
    }

    /// A refusal page: says how to get a new way in (the code form, the contact form), no error details.
    static func expectKind(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(html.contains("action=\"\(Routes.supportOpen.path())\""), sourceLocation: sourceLocation)
        #expect(html.contains("href=\"\(Routes.supportContact.path())\""), sourceLocation: sourceLocation)
        #expect(!html.contains("Error") && !html.contains("error:"), sourceLocation: sourceLocation)
    }
}
