import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// A campaign freezes what its notices say about the incident (title, summary, kinds, occurred/aware/contained)
/// when it is made: an edit to the incident afterwards changes neither the campaign nor what its notices render.
/// Campaigns made before migration 18 have nothing frozen and keep reading the live incident.
@Suite struct NoticeFrozenIncidentTests {
    static let reviewed = IncidentDraft(
        title: "Web shop database copied",
        summary: "Someone copied the customer table on 11 January.",
        kinds: [.dataBreach],
        severity: .sev2,
        times: KeyTimes(
            occurredAt: Date(epochMilliseconds: 11 * ExposureRule.day),
            detectedAt: Date(epochMilliseconds: 12 * ExposureRule.day),
            awareAt: Date(epochMilliseconds: 12 * ExposureRule.day + 3_600_000),
            containedAt: nil
        )
    )
    static let edited = IncidentDraft(
        title: "EDITED: not reviewed",
        summary: "A text nobody reviewed for customers.",
        kinds: [.dataBreach, .malware],
        severity: .sev1,
        times: KeyTimes(
            occurredAt: Date(epochMilliseconds: 10 * ExposureRule.day),
            detectedAt: Date(epochMilliseconds: 12 * ExposureRule.day),
            awareAt: Date(epochMilliseconds: 12 * ExposureRule.day + 3_600_000),
            containedAt: Date(epochMilliseconds: 13 * ExposureRule.day)
        )
    )

    static func edit(_ f: Fixture, _ w: NoticeWorld, _ draft: IncidentDraft) async throws -> Incident {
        try await f.store.incidents.update(id: w.incidentID, draft, playbooks: [], actor: "user:1", now: f.now)
    }

    @Test(arguments: TestDatabases.engines)
    func anEditAfterTheCampaignWasMadeIsNotWhatItsNoticesSay(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let reviewed = try await Self.edit(f, w, Self.reviewed)
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            let frozen = NoticeIncidentContent(
                title: "Web shop database copied",
                summary: "Someone copied the customer table on 11 January.",
                kinds: [.dataBreach],
                occurredAt: Self.reviewed.times.occurredAt,
                awareAt: Self.reviewed.times.awareAt,
                containedAt: nil
            )
            #expect(campaign.incidentContent == frozen)
            #expect(NoticeIncidentContent(reviewed) == frozen)

            let live = try await Self.edit(f, w, Self.edited)
            #expect(live.title == "EDITED: not reviewed")
            let stored = try #require(try await f.store.campaigns.find(id: campaign.id))
            #expect(stored.incidentContent == frozen, "the edit does not reach the campaign")
            let noticed = stored.incidentAsNoticed(live)
            #expect(noticed.title == reviewed.title && noticed.summary == reviewed.summary)
            #expect(noticed.kinds == [.dataBreach] && noticed.times.occurredAt == reviewed.times.occurredAt)
            #expect(noticed.times.containedAt == nil && noticed.times.awareAt == reviewed.times.awareAt)
            // What a notice shows is built from the frozen incident.
            let customer = try #require(try await f.store.customers.find(id: w.id("C0")))
            let content = NoticeContent.build(
                company: NoticeCompany(name: "Aurora", contactEmail: "a@aurora.example", trustCenterURL: "https://t"),
                customer: customer,
                language: .fi,
                incident: noticed,
                categoryIDs: ["email"],
                referenceCode: .generate(),
                date: f.now
            )
            #expect(content.incidentTitle == "Web shop database copied")
            #expect(content.incidentSummary == "Someone copied the customer table on 11 January.")
            #expect(content.kinds == [.dataBreach] && content.containedAt == nil)
            #expect(content.occurredAt == Self.reviewed.times.occurredAt)

            // Exactly the fields a notice shows, times in epoch milliseconds; nothing else of the incident.
            let json = try await f.database.withConnection { sql in
                try await sql.raw(
                    "SELECT incident_content FROM notice_campaigns WHERE id = \(bind: campaign.id)"
                ).first()!.decode(column: "incident_content", as: String.self)
            }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["title", "summary", "kinds", "occurred_at", "aware_at"])
            #expect((object["occurred_at"] as? NSNumber)?.int64Value == 11 * ExposureRule.day)

            // A campaign made after the edit freezes the incident as it is then.
            let later = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .added,
                followUpOf: campaign.id,
                by: w.editor,
                now: f.now
            )
            #expect(later.incidentContent == NoticeIncidentContent(live))
            #expect(later.incidentAsNoticed(live) == live)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aCampaignMadeBeforeMigration18ReadsTheLiveIncident(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { database in
            _ = try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 18 }).migrate()
            let f = Fixture(
                database: database,
                store: Store(database: database, vault: try Vault.ephemeral()),
                clock: TestClock()
            )
            let w = try await NoticeWorld.build(f)
            let english = try #require(try await f.store.noticeTemplates.approved(key: "general", language: .en))
            // A campaign as version 17 stored it: no incident content.
            let pinned = "{\"en\":\(english.id)}"
            try await database.withConnection { sql in
                try await sql.raw(
                    """
                    INSERT INTO notice_campaigns (incident_id, scope_version_id, audience, template_key, templates, state,
                        rate_per_second, concurrency, error_threshold, created_by, created_at, updated_at)
                    VALUES (\(bind: w.incidentID), \(bind: w.v1), 'all', 'general', \(bind: pinned), 'ready',
                        10, 1, 0.2, 'user:1', 0, 0)
                    """
                ).run()
            }
            let applied = try await Migrator(database: database).migrate()
            #expect(applied.contains(18))
            let campaign = try #require(try await f.store.campaigns.list(incidentID: w.incidentID).first)
            #expect(campaign.incidentContent == nil)
            let live = try await Self.edit(f, w, Self.edited)
            #expect(campaign.incidentAsNoticed(live) == live)
            // New campaigns on the migrated database freeze theirs.
            let made = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            #expect(made.incidentContent == NoticeIncidentContent(live))
        }
    }
}
