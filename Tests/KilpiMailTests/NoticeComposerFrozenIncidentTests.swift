import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiMail

/// The composer renders what the campaign froze of its incident when it was made (and its preview reviewed), not
/// an edit made since: in the message it sends and in the preview alike. A campaign with nothing frozen (made
/// before migration 18) renders the live incident.
@Suite struct NoticeComposerFrozenIncidentTests {
    static let company = NoticeCompany(
        name: "Aurora Oy",
        contactEmail: "privacy@aurora.example",
        trustCenterURL: "https://aurora.example/verify"
    )

    static func composer(_ store: Store) -> NoticeComposer {
        NoticeComposer(
            store: store,
            company: company,
            from: MailAddress("security@aurora.example"),
            bounceDomain: nil,
            dkim: nil
        )
    }

    @Test(arguments: TestDatabases.engines)
    func aNoticeSaysWhatTheCampaignFroze(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            let first = try await DeliveryEngineTests.campaign(store, database, emails: ["person0@example.net"])
            let now = Date()
            func edit(_ title: String, _ summary: String) async throws {
                _ = try await store.incidents.update(
                    id: first.incidentID,
                    IncidentDraft(title: title, summary: summary, kinds: [.dataBreach], severity: .sev2),
                    playbooks: [],
                    actor: "user:1",
                    now: now
                )
            }
            try await edit("Web shop passwords copied", "Reviewed: passwords were copied on Monday.")
            let service = NoticeService(store: store, checker: MustacheTemplateChecker())
            let reviewed = try await service.createCampaign(
                incidentID: first.incidentID,
                scopeVersionID: first.scopeVersionID,
                by: DeliveryEngineTests.editor,
                now: now
            )
            _ = try await service.pause(campaignID: first.id, by: DeliveryEngineTests.editor, now: now)
            _ = try await service.start(campaignID: reviewed.id, by: DeliveryEngineTests.editor, now: now)
            try await edit("EDITED title", "UNREVIEWED summary nobody checked.")

            // The message a worker sends.
            let composer = Self.composer(store)
            let claims = try await store.outbox.claim(worker: "w", limit: 10, leaseSeconds: 60, now: now)
            #expect(claims.count == 1 && claims[0].campaignID == reviewed.id)
            guard case .mail(let mail) = try #require(try await composer.compose(claims, now: now).first) else {
                Issue.record("the notice was not composed")
                return
            }
            let parsed = try ParsedMessage.parse(mail.bytes)
            let text = try #require(parsed.parts.first).content
            #expect(text.contains("Reviewed: passwords were copied on Monday."))
            #expect(!text.contains("UNREVIEWED") && !parsed.parts[1].content.contains("UNREVIEWED"))
            // Its content, as the templates saw it.
            let customer = try #require(try await store.customers.find(id: claims[0].customerID))
            let (content, _) = try #require(
                try await composer.render(
                    customer: customer,
                    language: claims[0].language,
                    campaignID: reviewed.id,
                    templateVersionID: claims[0].templateVersionID,
                    categories: claims[0].categories,
                    code: .generate(),
                    now: now
                )
            )
            #expect(content.incidentTitle == "Web shop passwords copied")
            #expect(content.incidentSummary == "Reviewed: passwords were copied on Monday.")
            // The preview shows the same.
            let row = try #require(try await store.outbox.row(campaignID: reviewed.id, customerID: customer.id))
            let preview = try #require(try await Self.composer(store).preview(row: row, now: now))
            #expect(preview.text.contains("Reviewed: passwords were copied on Monday."))
            #expect(!preview.text.contains("UNREVIEWED") && !preview.html.contains("UNREVIEWED"))

            // Control: with nothing frozen (a campaign from before migration 18) the edit is what it renders, so
            // the checks above could see it.
            try await database.transaction { sql in
                try await sql.raw("UPDATE notice_campaigns SET incident_content = NULL WHERE id = \(bind: reviewed.id)")
                    .run()
            }
            let live = try #require(try await Self.composer(store).preview(row: row, now: now))
            #expect(live.text.contains("UNREVIEWED summary nobody checked."))
        }
    }
}
