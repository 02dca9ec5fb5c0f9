import Foundation
import KilpiCore
import KilpiStore
import Testing

@testable import KilpiWeb

/// What the notice console and API tests share: customers with hostile names on a data map, an incident whose scope
/// exposes them, the shipped templates with English (and Finnish) approved, and a campaign ready to start.
struct NoticeFixture: Sendable {
    let incident: Incident
    let scope: ScopeVersion
    let campaign: NoticeCampaign
    /// The approved English `general` version.
    let english: NoticeTemplateVersion
    /// Who saved the shipped templates (a communicator) and who approved them (another).
    let writer: WebTestApp.Staff
    let approver: WebTestApp.Staff

    static let script = "<script>alert('x')</script>"
    static let bobby = "Robert'); DROP TABLE customers;--"
    static let formula = "=HYPERLINK(\"http://evil.example/\",\"click\")"

    /// Customers: N1 named with a script tag, N2 Bobby Tables, N3 a spreadsheet formula and no email (skipped, so
    /// on the letter-shop list), N4 Swedish-speaking.
    static func make(_ app: WebTestApp) async throws -> NoticeFixture {
        let store = app.store
        try await store.dataMap.installCatalogue(now: app.clock.now)
        try await store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
        let importer = DataMapImporter(database: store.database, vault: store.vault)
        _ = try await importer.importData(
            .systems,
            data: Data("name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,Helsinki,no\n".utf8)
        )
        func cell(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let customers = """
            external_id,name,email,phone,language,country,region
            N1,\(cell(script)),n1@example.com,,en,FI,
            N2,\(cell(bobby)),n2@example.com,,fi,FI,
            N3,\(cell(formula)),,,en,US,CA
            N4,Sven Svensson,n4@example.com,,sv,SE,

            """
        _ = try await importer.importData(.customers, data: Data(customers.utf8))
        _ = try await importer.importData(
            .holdings,
            data: Data(
                """
                external_id,system,category,held_from,held_until
                N1,Shop,email,2026-01-01,
                N1,Shop,payment_card,2026-01-01,
                N2,Shop,email,2026-01-01,
                N3,Shop,name,2026-01-01,
                N4,Shop,email,2026-01-01,

                """.utf8
            )
        )
        let shop = try #require(try await store.dataMap.summaries().map(\.system).first { $0.name == "Shop" })
        let commander = try await app.makeStaff(.responder)
        let incident = try await store.incidents.declare(
            IncidentDraft(
                title: "Shop breach \(script)",
                summary: "Card data copied.",
                kinds: [.dataBreach],
                severity: .sev2,
                times: KeyTimes(
                    occurredAt: app.clock.now.addingTimeInterval(-2 * 86_400),
                    detectedAt: app.clock.now.addingTimeInterval(-7200),
                    awareAt: app.clock.now.addingTimeInterval(-3600)
                )
            ),
            commanderID: commander.user.id,
            playbooks: try await store.playbooks.all(),
            actor: "test",
            now: app.clock.now
        )
        let scope = try await store.scopes.create(
            incidentID: incident.id,
            ScopeDraft(
                systemIDs: [shop.id],
                windowStart: Date(timeIntervalSince1970: 1_793_491_200),  // 2026-11-01
                windowEnd: Date(timeIntervalSince1970: 1_794_700_740)  // 2026-11-14 23:59
            ),
            actor: "test",
            now: app.clock.now
        )
        let writer = try await app.makeStaff(.communicator)
        let approver = try await app.makeStaff(.communicator)
        let service = AppServices(configuration: app.configuration, store: store).notices
        let installed = try await service.installShipped(
            AppServices.shippedNoticeTemplates,
            by: Caller(.user(writer.user.id), ip: "test"),
            now: app.clock.now
        )
        var english: NoticeTemplateVersion?
        for version in installed where version.language != .sv {
            let approved = try await service.approveTemplate(
                id: version.id,
                by: Caller(.user(approver.user.id), ip: "test"),
                now: app.clock.now
            )
            if approved.language == .en { english = approved }
        }
        let campaign = try await service.createCampaign(
            incidentID: incident.id,
            scopeVersionID: scope.id,
            by: Caller(.user(writer.user.id), ip: "test"),
            now: app.clock.now
        )
        return NoticeFixture(
            incident: incident,
            scope: scope,
            campaign: campaign,
            english: try #require(english),
            writer: writer,
            approver: approver
        )
    }
}
