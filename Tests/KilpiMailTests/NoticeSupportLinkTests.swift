import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiMail

/// Every notice carries its customer's personal support link: delivered through a real SMTP server (aiosmtpd) and
/// parsed back by Python's `email`, the link's token opens exactly that row's customer and campaign; a redelivery
/// after a lost lease carries a fresh link (the first one still works until it expires); the plain text has the
/// link on a line of its own; and the HTML escapes what it shows.
@Suite(.serialized) struct NoticeSupportLinkTests {
    static let supportSite = "https://aurora.example/support"

    /// The personal page's address in a plain-text part: the line that is exactly `<support site>/<token>`.
    static func linkLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).map(String.init).first { $0.hasPrefix(supportSite + "/") }
    }

    static func token(_ link: String) -> String { String(link.dropFirst(supportSite.count + 1)) }

    @Test(arguments: TestDatabases.engines)
    func eachDeliveredNoticeLinksToItsOwnCustomersPage(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let emails = (0..<9).map { "person\($0)@example.net" }
            let campaign = try await DeliveryEngineTests.campaign(store, database, emails: emails)
            try await DeliveryEngineTests.drain(
                try DeliveryEngineTests.engine(store, server: server),
                store,
                campaign.id
            )
            let rows = try await store.outbox.recipients(campaignID: campaign.id, limit: 100)
            #expect(rows.count == 9 && rows.allSatisfy { $0.state == .sent })
            let received = try server.received()
            #expect(received.count == 9)
            var tokens: Set<String> = []
            for mail in received {
                let parsed = try ParsedMessage.parse(mail.bytes)
                let row = try #require(rows.first { $0.noticeKey == parsed.notice })
                let customer = try #require(try await store.customers.find(id: row.customerID))
                #expect(mail.rcptTos == [try #require(customer.email)])
                let text = parsed.parts[0].content
                let html = parsed.parts[1].content
                // On a line of its own in the plain text, and shown (as text, no href) in the HTML.
                let link = try #require(Self.linkLine(text), "no personal link in:\n\(text)")
                #expect(html.contains(link))
                #expect(!html.lowercased().contains("href"))
                // The code route too, in both parts.
                #expect(text.contains(Self.supportSite + " "))
                #expect(html.contains(Self.supportSite + " "))
                let token = Self.token(link)
                #expect(token.count == 22)
                tokens.insert(token)
                let access = try #require(
                    try await store.supportLinks.resolve(token: token, ip: "203.0.113.9", now: Date()).access
                )
                #expect(access.outboxID == row.id)
                #expect(access.customerID == row.customerID)
                #expect(access.campaignID == campaign.id)
                #expect(access.categories.sorted() == row.categories.sorted())
                #expect(access.language == row.language)
            }
            #expect(tokens.count == 9, "every notice has a link of its own")
        }
    }

    /// A worker composed a batch (issuing its links) and died before sending: after the lease, another worker
    /// sends the notice with a link of its own, and both links open the same customer's page.
    @Test(arguments: TestDatabases.engines)
    func aRedeliveryAfterALostLeaseCarriesAFreshWorkingLink(engine: SQLEngine) async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let campaign = try await DeliveryEngineTests.campaign(store, database, emails: ["once@example.net"])
            let delivery = try DeliveryEngineTests.engine(store, server: server)
            let start = Date()
            let claims = try await store.outbox.claim(worker: "dead", limit: 10, leaseSeconds: 0.2, now: start)
            #expect(claims.count == 1)
            guard case .mail(let lost) = try #require(try await delivery.composer.compose(claims, now: start).first)
            else {
                Issue.record("the notice was not composed")
                return
            }
            let firstLink = try #require(Self.linkLine(try ParsedMessage.parse(lost.bytes).parts[0].content))
            try await Task.sleep(for: .milliseconds(400))
            try await DeliveryEngineTests.drain(delivery, store, campaign.id)

            let received = try server.received()
            #expect(received.count == 1)
            let sent = try ParsedMessage.parse(try #require(received.first).bytes)
            let secondLink = try #require(Self.linkLine(sent.parts[0].content))
            #expect(secondLink != firstLink)
            let row = try #require(try await store.outbox.recipients(campaignID: campaign.id, limit: 10).first)
            #expect(row.state == .sent && row.attempts == 2)
            for link in [firstLink, secondLink] {
                let access = try #require(
                    try await store.supportLinks.resolve(token: Self.token(link), ip: "203.0.113.9", now: Date())
                        .access
                )
                #expect(access.outboxID == row.id && access.customerID == row.customerID)
            }
        }
    }

    /// A template version without the new variables (a company's own, or one approved before they existed) still
    /// sends: the link is issued and simply not shown.
    @Test func aTemplateWithoutTheLinkStillSends() async throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        try await TestDatabases.with(.sqlite) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let campaign = try await DeliveryEngineTests.campaign(store, database, emails: ["old@example.net"])
            let service = NoticeService(store: store, checker: MustacheTemplateChecker())
            let old = NoticeTemplateText(
                subject: "{{company_name}}: about your data",
                text: "Hello {{customer_name}}, write to {{contact_email}}. Code {{reference_code}}.\n",
                html: "<p>Hello {{customer_name}}, write to {{contact_email}}. Code {{reference_code}}.</p>"
            )
            let row = try #require(try await store.outbox.recipients(campaignID: campaign.id, limit: 1).first)
            let language = row.language
            let saved = try await service.saveTemplate(
                key: NoticeTemplateVersion.generalKey,
                language: language,
                text: old,
                by: DeliveryEngineTests.editor,
                now: Date()
            )
            _ = try await service.approveTemplate(id: saved.id, by: DeliveryEngineTests.approver, now: Date())
            try await database.transaction { sql in
                try await sql.raw(
                    "UPDATE notice_outbox SET template_version_id = \(bind: saved.id) WHERE id = \(bind: row.id)"
                ).run()
            }
            try await DeliveryEngineTests.drain(
                try DeliveryEngineTests.engine(store, server: server),
                store,
                campaign.id
            )
            let received = try server.received()
            #expect(received.count == 1)
            let text = try ParsedMessage.parse(try #require(received.first).bytes).parts[0].content
            #expect(text.hasPrefix("Hello Customer 0, write to privacy@aurora.example."))
            #expect(!text.contains("/support"))
        }
    }

    /// What the notice shows of the support site is escaped in the HTML and written as it is in the text; a name
    /// whose `<` hides behind a prepended mark (one grapheme for the template engine) is escaped all the same.
    @Test(arguments: Language.allCases)
    func theHTMLEscapesTheLinkAndTheName(language: Language) throws {
        let company = NoticeCompany(
            name: "Aurora Oy",
            contactEmail: "privacy@aurora.example",
            trustCenterURL: "https://aurora.example/verify",
            supportURL: "https://aurora.example/support?from=\"mail\"&x=<b>"
        )
        let customer = Customer(
            id: 1,
            externalID: "C-1",
            name: "\u{600}<a href=\"https://evil.example\">click</a>\"\u{301}",
            email: "c@example.com",
            phone: nil,
            language: language.rawValue,
            country: "FI",
            region: "",
            createdAt: Date()
        )
        let incident = Incident(
            id: 1,
            title: "Breach",
            summary: "Copied.",
            kinds: [.dataBreach],
            severity: .sev2,
            status: .contained,
            times: KeyTimes(),
            roles: [.commander: 1],
            declaredAt: Date(),
            declaredBy: "a"
        )
        let content = NoticeContent.build(
            company: company,
            customer: customer,
            language: language,
            incident: incident,
            categoryIDs: ["email"],
            referenceCode: NoticeReferenceCode(typed: "K7M4-Q2XD")!,
            supportToken: "tok_en-1",
            date: Date()
        )
        let rendered = try NoticeTemplates.compile(NoticeTemplates.shipped(language)).render(content)
        let site = "https://aurora.example/support?from=&quot;mail&quot;&amp;x=&lt;b&gt;"
        #expect(rendered.html.contains(site + "/tok_en-1"))
        #expect(rendered.html.contains(site + " "))
        #expect(!rendered.html.contains("<b>"))
        #expect(!rendered.html.contains("<a "), "the name's hidden tag stayed text")
        #expect(rendered.html.contains("&lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt;&quot;"))
        #expect(
            rendered.text.split(whereSeparator: \.isNewline).contains {
                $0 == "https://aurora.example/support?from=\"mail\"&x=<b>/tok_en-1"
            }
        )
    }
}
