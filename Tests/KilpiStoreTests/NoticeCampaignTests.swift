import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Campaigns from a scope version's exposure: who gets a row, in which language, who is skipped and why,
/// follow-up audiences, refusals that write nothing, and the timeline and audit entries in the same transaction.
@Suite struct NoticeCampaignTests {
    @Test(arguments: TestDatabases.engines)
    func aCampaignHasOneRowPerExposedCustomerWithLanguageAndSkipReasons(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            #expect(campaign.state == .ready)
            #expect(campaign.recipients == 8 && campaign.skipped == 2)
            let rows = try await w.rows(f, campaign: campaign.id)
            #expect(Set(rows.keys) == Set((0..<8).map { "C\($0)" }))
            #expect(rows["C5"]?.state == .skipped && rows["C5"]?.skipReason == .noEmail)
            #expect(rows["C7"]?.state == .skipped && rows["C7"]?.skipReason == .erased)
            #expect(rows["C0"]?.state == .queued && rows["C0"]?.language == .fi && rows["C0"]?.englishFallback == false)
            // Swedish has no approved template here, German none at all: both get English, and are counted.
            #expect(rows["C1"]?.language == .en && rows["C1"]?.englishFallback == true)
            #expect(rows["C3"]?.language == .en && rows["C3"]?.englishFallback == true)
            #expect(rows["C2"]?.language == .en && rows["C2"]?.englishFallback == false)
            // C1, C3 (sv, de) and C5 (sv) fall back; C7 (de) too, though skipped.
            #expect(campaign.englishFallback == 4)
            #expect(Set(rows["C0"]!.categories) == ["email", "name"])
            #expect(Set(rows.values.map(\.noticeKey)).count == 8)
            #expect(
                rows.values.allSatisfy {
                    $0.noticeKey == $0.noticeKey.lowercased() && UUID(uuidString: $0.noticeKey) != nil
                }
            )
            #expect(campaign.templates.keys.sorted { $0.rawValue < $1.rawValue } == [.en, .fi])

            let events = try await f.events(incident: w.incidentID)
            #expect(
                events.last
                    == .noticeCampaignCreated(
                        campaign: .init(
                            campaignID: campaign.id,
                            scopeVersion: 1,
                            audience: .all,
                            recipients: 8,
                            skipped: 2,
                            englishFallback: 4
                        )
                    )
            )
            #expect(try await f.auditActions().last == "notice.campaign_create")
            // Only ids and counts: no name or address in the audit log, the timeline or the outbox.
            let stored =
                try await f.database.dump("audit_log") + f.database.dump("incident_timeline")
                + f.database.dump("notice_outbox") + f.database.dump("notice_campaigns")
            #expect(!stored.contains("@example.com") && !stored.contains("Customer Name"))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func followUpsReachExactlyTheAddedOrTheWidened(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let base = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            let added = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .added,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            // C5 and C7 were skipped by the base (no address, erased): told nothing, so they count as new again (and
            // are skipped again, for the letter shop's list of this campaign).
            let addedRows = try await w.rows(f, campaign: added.id)
            #expect(Set(addedRows.keys) == ["C5", "C7", "C8", "C9", "C10", "C11"])
            #expect(addedRows["C5"]?.state == .skipped && addedRows["C7"]?.state == .skipped)
            let widened = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .widened,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            let widenedRows = try await w.rows(f, campaign: widened.id)
            #expect(Set(widenedRows.keys) == ["C4", "C6"])
            #expect(Set(widenedRows["C4"]!.categories) == ["email", "name", "payment_card"])
            // Whatever campaign a follow-up names, it counts every campaign of the incident: after base, added and
            // widened nobody in v2 is told less than they are exposed in.
            await #expect(throws: NoticeError.self) {
                _ = try await w.service.createCampaign(
                    incidentID: w.incidentID,
                    scopeVersionID: w.v2,
                    audience: .widened,
                    followUpOf: added.id,
                    by: w.editor,
                    now: f.now
                )
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badCampaignsAreRefusedByFieldAndWriteNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f, templates: [.fi])
            let other = try await f.store.incidents.declare(
                IncidentDraft(title: "Another", kinds: [.phishing], severity: .sev3),
                commanderID: try await f.user("b@example.fi").id,
                playbooks: [],
                actor: "user:1",
                now: f.now
            )
            let empty = try await f.store.scopes.create(
                incidentID: w.incidentID,
                ScopeDraft(
                    systemIDs: [try await f.store.dataMap.summaries().map(\.system.id).min()!],
                    windowStart: Date(epochMilliseconds: 0),
                    windowEnd: Date(epochMilliseconds: 1),
                    customerExternalIDs: ["C11"]
                ),
                actor: "user:1",
                now: f.now
            )
            let before = try await f.events(incident: w.incidentID).count
            let auditBefore = try await f.auditActions().count
            func field(
                scope: Int64? = nil,
                incident: Int64? = nil,
                audience: NoticeAudience = .all,
                followUpOf: Int64? = nil,
                key: String = "general",
                settings: NoticeCampaignSettings = NoticeCampaignSettings()
            ) async -> [String] {
                do {
                    _ = try await w.service.createCampaign(
                        incidentID: incident ?? w.incidentID,
                        scopeVersionID: scope ?? w.v1,
                        audience: audience,
                        followUpOf: followUpOf,
                        templateKey: key,
                        settings: settings,
                        by: w.editor,
                        now: f.now
                    )
                    return ["accepted"]
                } catch let error as NoticeError {
                    return error.problems.map(\.field)
                } catch {
                    return ["\(error)"]
                }
            }
            // Only Finnish is approved: English is required.
            #expect(await field() == ["template"])
            #expect(await field(scope: empty.id) == ["scope_version_id"])
            #expect(await field(incident: other.id) == ["scope_version_id"])
            #expect(await field(key: "nonsense") == ["template_key"])
            #expect(await field(audience: .added) == ["follow_up_of"])
            #expect(
                await field(settings: NoticeCampaignSettings(ratePerSecond: 0, concurrency: 0, errorThreshold: 2))
                    == ["rate", "concurrency", "error_threshold"]
            )
            #expect(try await f.database.rowCount("notice_campaigns") == 0)
            #expect(try await f.database.rowCount("notice_outbox") == 0)
            #expect(try await f.events(incident: w.incidentID).count == before)
            #expect(try await f.auditActions().count == auditBefore)

            // A follow-up whose base belongs to another incident.
            let english = try await w.service.saveTemplate(
                key: "general",
                language: .en,
                text: NoticeWorld.text(.en),
                by: w.editor,
                now: f.now
            )
            _ = try await w.service.approveTemplate(id: english.id, by: w.approver, now: f.now)
            let otherScope = try await f.store.scopes.create(
                incidentID: other.id,
                ScopeDraft(
                    systemIDs: try await f.store.dataMap.summaries().map(\.system.id),
                    windowStart: Date(epochMilliseconds: 10 * ExposureRule.day),
                    windowEnd: Date(epochMilliseconds: 20 * ExposureRule.day)
                ),
                actor: "user:1",
                now: f.now
            )
            let foreign = try await w.service.createCampaign(
                incidentID: other.id,
                scopeVersionID: otherScope.id,
                by: w.editor,
                now: f.now
            )
            #expect(await field(scope: w.v2, audience: .added, followUpOf: foreign.id) == ["follow_up_of"])
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aThreatKindTemplateIsPreferredAndFallsBackToGeneralPerLanguage(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let card = try await w.service.saveTemplate(
                key: ThreatKind.dataBreach.rawValue,
                language: .fi,
                text: NoticeWorld.text(.fi),
                by: w.editor,
                now: f.now
            )
            _ = try await w.service.approveTemplate(id: card.id, by: w.approver, now: f.now)
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                templateKey: ThreatKind.dataBreach.rawValue,
                by: w.editor,
                now: f.now
            )
            let general = try #require(try await f.store.noticeTemplates.approved(key: "general", language: .en))
            #expect(campaign.templates == [.fi: card.id, .en: general.id])
            #expect(try await w.rows(f, campaign: campaign.id)["C0"]?.templateVersionID == card.id)
        }
    }
}
