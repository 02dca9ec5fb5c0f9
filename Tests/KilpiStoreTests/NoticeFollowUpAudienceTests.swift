import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Follow-up audiences count what every campaign of the incident told each customer, not only the chain of the
/// campaign they name: a customer is told by a `sent` row, or by a pending row of a campaign that is not cancelled.
@Suite struct NoticeFollowUpAudienceTests {
    @Test(arguments: TestDatabases.engines)
    func twoFollowUpsOfOneBaseNeverReachTheSameNewCustomerTwice(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let base = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            let first = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .added,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            #expect(Set(try await w.rows(f, campaign: first.id).keys) == ["C5", "C7", "C8", "C9", "C10", "C11"])
            // A sibling: it names the same base, but C8…C11 are already queued by the first follow-up. Only the two
            // customers nobody can write to (skipped each time, told nothing) are in it again.
            let sibling = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .added,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            #expect(sibling.followUpOf == base.id)
            let siblingRows = try await w.rows(f, campaign: sibling.id)
            #expect(Set(siblingRows.keys) == ["C5", "C7"])
            #expect(siblingRows.values.allSatisfy { $0.state == .skipped })
            let c8 = try await f.database.withConnection { sql in
                try await sql.raw("SELECT count(*) AS n FROM notice_outbox WHERE customer_id = \(bind: w.id("C8"))")
                    .first()!.decode(column: "n", as: Int.self)
            }
            #expect(c8 == 1, "C8 gets one notice, not one per sibling")
            // Widened siblings likewise: the first tells C4 and C6 about the card, the second finds nobody.
            _ = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .widened,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            let auditBefore = try await f.auditActions().count
            await #expect(throws: NoticeError.self) {
                _ = try await w.service.createCampaign(
                    incidentID: w.incidentID,
                    scopeVersionID: w.v2,
                    audience: .widened,
                    followUpOf: base.id,
                    by: w.editor,
                    now: f.now
                )
            }
            #expect(try await f.auditActions().count == auditBefore)
            #expect(try await f.store.campaigns.list(incidentID: w.incidentID).count == 4)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func onlySentRowsAndPendingRowsOfLiveCampaignsCountAsTold(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let base = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                settings: NoticeCampaignSettings(errorThreshold: 0),
                by: w.editor,
                now: f.now
            )
            _ = try await w.service.start(campaignID: base.id, by: w.editor, now: f.now)
            let claims = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 600, now: f.now)
            #expect(claims.count == 6)
            func row(_ external: String) throws -> Int64 {
                try #require(claims.first { $0.customerID == w.id(external) }).rowID
            }
            // C4 got it; C0 bounced, C1 failed, C2 is deferred and C3, C6 are still sending when it is cancelled.
            try await f.store.outbox.record(
                [
                    (try row("C4"), .sent(reply: "250 ok", messageID: "<4@k>")),
                    (try row("C0"), .bounced(reply: "550 no such user")),
                    (try row("C1"), .failed(reason: "gave up")),
                    (try row("C2"), .deferred(reply: "451 later", retryAt: f.now.addingTimeInterval(600))),
                ],
                worker: "a",
                now: f.now
            )
            _ = try await w.service.cancel(campaignID: base.id, by: w.editor, now: f.now)
            let states = try await w.rows(f, campaign: base.id).mapValues(\.state)
            #expect(states["C4"] == .sent && states["C0"] == .bounced && states["C1"] == .failed)
            #expect(states["C2"] == .deferred && states["C3"] == .sending && states["C5"] == .skipped)

            // Only C4 was told anything (name and email): the card is new to C4 alone.
            let widened = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .widened,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            let widenedRows = try await w.rows(f, campaign: widened.id)
            #expect(Set(widenedRows.keys) == ["C4"])
            #expect(Set(widenedRows["C4"]!.categories) == ["email", "name", "payment_card"])
            // Everybody else exposed in v2 has been told nothing yet.
            let added = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v2,
                audience: .added,
                followUpOf: base.id,
                by: w.editor,
                now: f.now
            )
            #expect(
                Set(try await w.rows(f, campaign: added.id).keys)
                    == ["C0", "C1", "C2", "C3", "C5", "C6", "C7", "C8", "C9", "C10", "C11"]
            )
            // The record still names the base it follows up.
            let entries = try await f.store.audit.entries(AuditFilter()).sorted { $0.id < $1.id }
            #expect(entries.last?.action == "notice.campaign_create")
            #expect(entries.last?.detail.contains("added follow-up of campaign:\(base.id)") == true)
        }
    }
}
