import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Closing customers' pages from the console: one notice from its inquiry's thread (a notice that reached someone
/// else), or a whole campaign (leaked links). Only `supportManage` may; every link of the notice and its reference
/// code stop opening the page, other customers' pages stay open, and each closing is audited.
@Suite struct SupportLinkRevocationTests {
    static func opens(_ app: WebTestApp, token: String) async throws -> HTTPResponse.Status {
        try await app.get(Routes.supportPage.path(["token": token])).status
    }

    static func opensByCode(
        _ app: WebTestApp,
        _ customer: SupportPortalFixture.Notified
    ) async throws
        -> HTTPResponse.Status
    {
        var browser = SupportBrowser(app)
        _ = try await browser.get(Routes.supportHome.path())
        return try await browser.post(
            Routes.supportOpen.path(),
            [("code", customer.row.referenceCode), ("email", customer.email)]
        ).status
    }

    @Test(arguments: TestDatabases.engines)
    func aThreadClosesItsNoticesPageForEveryLinkAndTheCode(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let (customer, other) = (f.notified[1], f.notified[2])
            let (first, second) = (try await f.link(app, customer), try await f.link(app, customer))
            let others = try await f.link(app, other)
            var browser = SupportBrowser(app)
            _ = try await browser.get(Routes.supportPage.path(["token": first]))
            let asked = try await browser.post(
                Routes.supportQuestion.path(["token": first]),
                [("text", "Someone else got my notice")]
            )
            #expect(asked.status == .seeOther)
            let inquiry = try #require(
                try await app.store.inquiries.list(InquiryFilter(incidentID: f.incident.id)).first
            )
            let thread = Routes.supportInquiry.path(id: inquiry.id)
            let close = Routes.supportNoticeRevoke.path(id: inquiry.id)

            // An agent answers but may not close pages: no form, and the post is refused.
            let agent = try await app.login(f.agent)
            #expect(!WebTestApp.text(try await app.get(thread, agent)).contains("action=\"\(close)\""))
            #expect(try await app.post(close, agent).status == .forbidden)
            #expect(try await Self.opens(app, token: second) == .ok)

            let communicator = try await app.login(try await app.makeStaff(.communicator))
            #expect(WebTestApp.text(try await app.get(thread, communicator)).contains("action=\"\(close)\""))
            let closed = try await app.post(close, communicator)
            #expect(closed.status == .seeOther || closed.status == .found, "\(closed.status)")
            #expect(try await Self.opens(app, token: first) == .gone)
            #expect(try await Self.opens(app, token: second) == .gone)
            #expect(try await Self.opensByCode(app, customer) == .gone)
            // A link issued later (a retry) is closed too; the other customer's page is untouched.
            #expect(try await Self.opens(app, token: try await f.link(app, customer)) == .gone)
            #expect(try await Self.opens(app, token: others) == .ok)
            #expect(try await Self.opensByCode(app, other) == .seeOther)
            let page = WebTestApp.text(try await app.get(thread, communicator))
            #expect(page.contains("Closed: the notice") && !page.contains("action=\"\(close)\""))
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "support.link_revoke"))
            #expect(audit.map(\.target) == ["notice:\(customer.row.rowID)"])
            #expect(audit.first?.detail == "campaign:\(f.campaign.id) 2 live links from inquiry:\(inquiry.id)")
            // A replay changes nothing but is recorded as the attempt it was.
            #expect([.seeOther, .found].contains(try await app.post(close, communicator).status))
            #expect(try await Self.opens(app, token: others) == .ok)

            // Without the form's token nothing happens.
            let noCSRF = try await app.post(
                Routes.supportNoticeRevoke.path(id: inquiry.id),
                form: [:],
                session: communicator.sessionID
            )
            #expect(noCSRF.status == .forbidden)
            let contact = try await SupportInboxFixture.inquiry(app, incidentID: f.incident.id)
            // A contact-form inquiry has no notice page: a clear refusal, nothing closed.
            let refused = try await app.post(Routes.supportNoticeRevoke.path(id: contact), communicator)
            #expect(refused.status == .badRequest)
            #expect(WebTestApp.text(refused).contains("came from the contact form"))
            #expect(try await app.post(Routes.supportNoticeRevoke.path(id: 987_654), communicator).status == .notFound)
            #expect(try await Self.opens(app, token: others) == .ok)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aCampaignsPagesCloseAtOnceOnlyWhenConfirmed(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let f = try await SupportPortalFixture.make(app, customers: 3)
            let tokens = try await f.notified.asyncMap { try await f.link(app, $0) }
            let campaignPage = Routes.campaign.path(id: f.campaign.id)
            let revoke = Routes.campaignLinksRevoke.path(id: f.campaign.id)

            // A responder sees the campaign but may not close its pages.
            let responder = try await app.login(try await app.makeStaff(.responder))
            #expect(!WebTestApp.text(try await app.get(campaignPage, responder)).contains("action=\"\(revoke)\""))
            #expect(try await app.post(revoke, responder, form: ["confirm": "yes"]).status == .forbidden)

            let communicator = try await app.login(try await app.makeStaff(.communicator))
            #expect(WebTestApp.text(try await app.get(campaignPage, communicator)).contains("action=\"\(revoke)\""))
            let unconfirmed = try await app.post(revoke, communicator)
            #expect(unconfirmed.status == .badRequest)
            #expect(WebTestApp.text(unconfirmed).contains("confirm: tick the box"))
            for token in tokens { #expect(try await Self.opens(app, token: token) == .ok) }

            let done = try await app.post(revoke, communicator, form: ["confirm": "yes"])
            #expect(done.status == .seeOther || done.status == .found, "\(done.status)")
            #expect(done.headers[.location] == campaignPage)
            #expect(
                try await app.post(Routes.campaignLinksRevoke.path(id: 987_654), communicator, form: ["confirm": "yes"])
                    .status == .notFound
            )
            for token in tokens { #expect(try await Self.opens(app, token: token) == .gone) }
            for customer in f.notified { #expect(try await Self.opensByCode(app, customer) == .gone) }
            #expect(try await app.store.supportLinks.campaignRevokedAt(campaignID: f.campaign.id) != nil)
            let shown = WebTestApp.text(try await app.get(campaignPage, communicator))
            #expect(shown.contains("no longer open a page") && !shown.contains("action=\"\(revoke)\""))
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "support.campaign_links_revoke"))
            #expect(audit.map(\.target) == ["campaign:\(f.campaign.id)"])
            #expect(audit.first?.detail == "3 links")
        }
    }
}

extension Array where Element: Sendable {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
