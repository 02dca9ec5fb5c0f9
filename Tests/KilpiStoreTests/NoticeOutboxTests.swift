import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The outbox contract the delivery workers rely on: claims with leases, records only under one's own lease,
/// crash safety, bounces, retries, auto-pause and completion.
@Suite struct NoticeOutboxTests {
    /// A started campaign over scope v1: six queued rows (C0…C4, C6) and two skipped.
    static func running(_ f: Fixture) async throws -> (NoticeWorld, NoticeCampaign) {
        let w = try await NoticeWorld.build(f)
        let campaign = try await w.service.createCampaign(
            incidentID: w.incidentID,
            scopeVersionID: w.v1,
            settings: NoticeCampaignSettings(errorThreshold: 0),
            by: w.editor,
            now: f.now
        )
        return (w, try await w.service.start(campaignID: campaign.id, by: w.editor, now: f.now))
    }

    @Test(arguments: TestDatabases.engines)
    func onlyRunningCampaignsAreClaimedAndEachRowOnce(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            #expect(try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now).isEmpty)
            _ = try await w.service.start(campaignID: campaign.id, by: w.editor, now: f.now)
            let first = try await f.store.outbox.claim(worker: "a", limit: 4, leaseSeconds: 60, now: f.now)
            let second = try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(first.count == 4 && second.count == 2)
            #expect(Set(first.map(\.rowID)).isDisjoint(with: second.map(\.rowID)))
            #expect((first + second).allSatisfy { $0.attempts == 1 })
            // The code is opened for the worker and is a real reference code.
            #expect(
                (first + second).allSatisfy {
                    NoticeReferenceCode(typed: $0.referenceCode)?.formatted == $0.referenceCode
                }
            )
            let c0 = try #require(first.first { $0.customerID == w.id("C0") })
            #expect(c0.language == .fi && Set(c0.categories) == ["email", "name"])
            #expect(
                try await f.store.outbox.isGenuine(
                    code: c0.referenceCode.lowercased().replacingOccurrences(of: "-", with: " ")
                )
            )
            #expect(!(try await f.store.outbox.isGenuine(code: "ZZZZ-ZZZZ")))
            // Paused: nothing more is handed out.
            _ = try await w.service.pause(campaignID: campaign.id, by: w.editor, now: f.now)
            f.clock.advance(120)
            #expect(try await f.store.outbox.claim(worker: "c", limit: 10, leaseSeconds: 60, now: f.now).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func anExpiredLeaseIsTakenOverAndTheOldWorkerChangesNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (_, campaign) = try await Self.running(f)
            let lost = try await f.store.outbox.claim(worker: "dead", limit: 1, leaseSeconds: 30, now: f.now)
            let row = try #require(lost.first)
            // Not yet expired: nobody else gets it.
            f.clock.advance(10)
            #expect(
                !(try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 30, now: f.now).map(\.rowID)
                    .contains(row.rowID))
            )
            f.clock.advance(30)
            let taken = try await f.store.outbox.claim(worker: "c", limit: 10, leaseSeconds: 30, now: f.now)
            let again = try #require(taken.first { $0.rowID == row.rowID })
            #expect(again.attempts == 2 && again.noticeKey == row.noticeKey && again.referenceCode == row.referenceCode)
            // The first worker comes back and reports: its lease is gone, so nothing changes.
            try await f.store.outbox.record(
                [(row.rowID, .sent(reply: "250 ok", messageID: "<a@kilpi>"))],
                worker: "dead",
                now: f.now
            )
            let stored = try #require(try await f.store.outbox.find(noticeKey: row.noticeKey))
            #expect(stored.state == .sending && stored.sentAt == nil)
            try await f.store.outbox.record(
                [(row.rowID, .sent(reply: "250 2.0.0 Ok: queued", messageID: "<b@kilpi>"))],
                worker: "c",
                now: f.now
            )
            let sent = try #require(try await f.store.outbox.find(noticeKey: row.noticeKey))
            #expect(sent.state == .sent && sent.messageID == "<b@kilpi>" && sent.attempts == 2 && sent.sentAt != nil)
            #expect(try await f.store.campaigns.find(id: campaign.id)?.state == .running)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func resultsMoveRowsAndTheCampaignCompletesWhenNothingIsLeft(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await Self.running(f)
            let claims = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(claims.count == 6)
            let retryAt = f.now.addingTimeInterval(300)
            try await f.store.outbox.record(
                [
                    (claims[0].rowID, .sent(reply: "250 ok", messageID: "<1@k>")),
                    (claims[1].rowID, .deferred(reply: "451 4.7.1 <person1@example.com>: try later", retryAt: retryAt)),
                    (claims[2].rowID, .bounced(reply: "550 5.1.1 <person2@example.com>... User unknown")),
                    (claims[3].rowID, .failed(reason: "no template")),
                    (claims[4].rowID, .released),
                    (claims[5].rowID, .sent(reply: "250 ok", messageID: "<6@k>")),
                ],
                worker: "a",
                now: f.now
            )
            let rows = try await f.store.outbox.recipients(campaignID: campaign.id, limit: 100)
            let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
            #expect(byID[claims[1].rowID]?.state == .deferred && byID[claims[1].rowID]?.nextAttemptAt == retryAt)
            #expect(byID[claims[1].rowID]?.lastReply == "451 4.7.1 <[address]>: try later")
            #expect(byID[claims[2].rowID]?.lastReply == "550 5.1.1 <[address]>... User unknown")
            #expect(byID[claims[4].rowID]?.state == .deferred && byID[claims[4].rowID]?.attempts == 0)
            #expect(!(try await f.database.dump("notice_outbox")).contains("@example.com"))
            // The released row comes back at once; the deferred one when its time has come.
            #expect(
                try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now).map(\.rowID) == [
                    claims[4].rowID
                ]
            )
            try await f.store.outbox.record(
                [(claims[4].rowID, .sent(reply: "250", messageID: "<5@k>"))],
                worker: "a",
                now: f.now
            )
            var progress = try await f.store.outbox.progress(campaignID: campaign.id, now: f.now)
            #expect(progress.counts[.sent] == 3 && progress.counts[.deferred] == 1 && progress.counts[.skipped] == 2)
            #expect(progress.remaining == 1 && progress.total == 8 && progress.englishFallback == 4)
            f.clock.advance(300)
            let retry = try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(retry.map(\.rowID) == [claims[1].rowID] && retry[0].attempts == 2)
            try await f.store.outbox.record(
                [(claims[1].rowID, .sent(reply: "250", messageID: "<2@k>"))],
                worker: "b",
                now: f.now
            )
            let done = try #require(try await f.store.campaigns.find(id: campaign.id))
            #expect(done.state == .completed && done.completedAt == f.now)
            let events = try await f.events(incident: w.incidentID)
            #expect(
                events.last
                    == .noticeCampaignCompleted(campaignID: campaign.id, sent: 4, bounced: 1, failed: 1, skipped: 2)
            )
            #expect(try await f.auditActions().last == "notice.campaign_complete")
            progress = try await f.store.outbox.progress(campaignID: campaign.id, now: f.now)
            #expect(progress.remaining == 0 && progress.state == .completed)
            // Unreachable: the skipped and the bounced, for the letter shop.
            let unreachable = try await f.store.outbox.unreachable(campaignID: campaign.id)
            #expect(Set(unreachable.map(\.customerID)) == [w.id("C5"), w.id("C7"), claims[2].customerID])

            // Retry failed brings back the failed and the bounced and runs the campaign again.
            #expect(try await w.service.retryFailed(campaignID: campaign.id, by: w.editor, now: f.now) == 2)
            #expect(try await f.store.campaigns.find(id: campaign.id)?.state == .running)
            #expect(events.count + 2 == (try await f.events(incident: w.incidentID)).count)
            let retried = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(Set(retried.map(\.rowID)) == [claims[2].rowID, claims[3].rowID])
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aLateBounceMarksTheNoticeAndAnUnknownOneIsReported(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (_, campaign) = try await Self.running(f)
            let claims = try await f.store.outbox.claim(worker: "a", limit: 1, leaseSeconds: 60, now: f.now)
            try await f.store.outbox.record(
                [(claims[0].rowID, .sent(reply: "250", messageID: "<1@k>"))],
                worker: "a",
                now: f.now
            )
            #expect(
                try await f.store.outbox.markBounced(
                    noticeKey: claims[0].noticeKey.uppercased(),
                    reply: "5.1.1 gone <x@y.fi>",
                    now: f.now
                )
            )
            let row = try #require(try await f.store.outbox.find(noticeKey: claims[0].noticeKey))
            #expect(row.state == .bounced && row.lastReply == "5.1.1 gone <[address]>")
            #expect(!(try await f.store.outbox.markBounced(noticeKey: UUID().uuidString, reply: "x", now: f.now)))
            let time = try await f.store.outbox.timeToNotify(campaignID: campaign.id)
            #expect(time.count == 0 && time.p50 == nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func tooManyFailuresPauseTheCampaign(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                settings: NoticeCampaignSettings(errorThreshold: 0.5),
                by: w.editor,
                now: f.now
            )
            _ = try await w.service.start(campaignID: campaign.id, by: w.editor, now: f.now)
            // Six rows are too few to judge (the minimum sample is 20): failing them all completes the campaign.
            let claims = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now)
            try await f.database.execute(
                "UPDATE notice_campaigns SET delivered = 10, failures = 5 WHERE id = \(bind: campaign.id)"
            )
            try await f.store.outbox.record(
                claims.prefix(5).map { ($0.rowID, OutboxResult.bounced(reply: "550")) },
                worker: "a",
                now: f.now
            )
            // 10 of 20 failed: not above one half yet.
            #expect(try await f.store.campaigns.find(id: campaign.id)?.state == .running)
            try await f.store.outbox.record([(claims[5].rowID, .failed(reason: "x"))], worker: "a", now: f.now)
            #expect(try await f.store.campaigns.find(id: campaign.id)?.state == .completed)
            let events = try await f.events(incident: w.incidentID)
            #expect(events.contains(.noticeCampaignAutoPaused(campaignID: campaign.id, failures: 11, attempted: 21)))
            #expect(try await f.auditActions().contains("notice.campaign_auto_pause"))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func timeToNotifyRunsFromBecomingAwareToAcceptance(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await Self.running(f)
            let aware = f.now
            let claims = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 600, now: f.now)
            for (index, claim) in claims.enumerated() {
                f.clock.advance(index == 0 ? 60 : 10)
                try await f.store.outbox.record(
                    [(claim.rowID, .sent(reply: "250", messageID: "<\(index)@k>"))],
                    worker: "a",
                    now: f.now
                )
            }
            let time = try await f.store.outbox.timeToNotify(campaignID: campaign.id)
            #expect(time.count == 6 && time.measuredFrom == aware)
            // 60, 70, 80, 90, 100, 110 seconds: nearest rank p50 = 3rd, p90 = 6th.
            #expect(time.p50 == 80 && time.p90 == 110 && time.max == 110)
            let each = try await f.store.outbox.customerTimesToNotify(campaignID: campaign.id)
            #expect(each.count == 6 && each.first { $0.customerID == claims[0].customerID }?.seconds == 60)
            #expect(try await f.store.incidents.find(id: w.incidentID)?.times.awareAt == aware)
        }
    }

    @Test func twoClaimersAtOnceNeverGetTheSameRow() async throws {
        guard TestDatabases.engines.contains(.postgres) else { return }
        try await withFixture(.postgres) { f in
            let (_, campaign) = try await Self.running(f)
            // Twelve workers on separate pooled connections claim one row each at the same moment: six get one
            // each (SKIP LOCKED moves past rows another claim holds), the rest get nothing, none gets a row twice.
            let claims = try await withThrowingTaskGroup(of: [OutboxClaim].self) { group in
                for worker in 0..<12 {
                    group.addTask {
                        try await f.store.outbox.claim(worker: "w\(worker)", limit: 1, leaseSeconds: 60, now: f.now)
                    }
                }
                var all: [OutboxClaim] = []
                for try await batch in group { all += batch }
                return all
            }
            #expect(claims.count == 6)
            #expect(Set(claims.map(\.rowID)).count == 6)
            let owners = try await f.database.withConnection { sql in
                try await sql.raw(
                    "SELECT count(DISTINCT lease_owner) AS n FROM notice_outbox WHERE campaign_id = \(bind: campaign.id) AND state = 'sending'"
                ).first()!.decode(column: "n", as: Int.self)
            }
            #expect(owners == 6)
        }
    }
}
