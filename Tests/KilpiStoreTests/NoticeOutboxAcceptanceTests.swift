import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The two promises that keep a notice from going out twice: an acceptance marked the moment the server gave it
/// is never sent again, even when its worker dies before recording the batch; and a worker that renews its lease
/// keeps its rows for as long as it is still sending them.
@Suite struct NoticeOutboxAcceptanceTests {
    static func delivered(_ f: Fixture, _ campaign: Int64) async throws -> Int {
        try await f.store.database.withConnection { sql in
            try await sql.raw("SELECT delivered FROM notice_campaigns WHERE id = \(bind: campaign)").first()!
                .decode(column: "delivered", as: Int.self)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func anAcceptedButUnrecordedNoticeIsNeverSentAgain(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (_, campaign) = try await NoticeOutboxTests.running(f)
            let claims = try await f.store.outbox.claim(worker: "dead", limit: 10, leaseSeconds: 30, now: f.now)
            #expect(claims.count == 6)
            let acceptedAt = f.now
            try await f.store.outbox.markAccepted(
                [
                    OutboxAcceptance(rowID: claims[0].rowID, worker: "dead", messageID: "<0@kilpi>", reply: "250 ok"),
                    OutboxAcceptance(rowID: claims[1].rowID, worker: "dead", messageID: "<1@kilpi>", reply: "250 ok"),
                    // Not this worker's lease: changes nothing.
                    OutboxAcceptance(rowID: claims[2].rowID, worker: "other", messageID: "<2@kilpi>", reply: "250 ok"),
                ],
                now: acceptedAt
            )
            // The worker dies; its lease runs out; another takes over.
            f.clock.advance(40)
            let taken = try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 30, now: f.now)
            #expect(Set(taken.map(\.rowID)) == Set(claims[2...].map(\.rowID)), "the accepted two are not sent again")
            for claim in claims[0...1] {
                let row = try #require(try await f.store.outbox.find(noticeKey: claim.noticeKey))
                #expect(row.state == .sent)
                #expect(row.attempts == 1)
                #expect(row.sentAt?.epochMilliseconds == acceptedAt.epochMilliseconds, "sent when the server accepted")
                #expect(row.messageID == "<\(claims.firstIndex(of: claim)!)@kilpi>")
            }
            #expect(try await Self.delivered(f, campaign.id) == 2, "counted as delivered, for the error threshold")
            try await f.store.outbox.record(
                taken.map { ($0.rowID, .sent(reply: "250 ok", messageID: "<b\($0.rowID)@kilpi>")) },
                worker: "b",
                now: f.now
            )
            let done = try #require(try await f.store.campaigns.find(id: campaign.id))
            #expect(done.state == .completed)
            #expect(try await Self.delivered(f, campaign.id) == 6)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aRecordAfterTheMarkKeepsTheTimeOfAcceptance(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await NoticeOutboxTests.running(f)
            let claim = try #require(
                try await f.store.outbox.claim(worker: "a", limit: 1, leaseSeconds: 30, now: f.now).first
            )
            let acceptedAt = f.now
            try await f.store.outbox.markAccepted(
                [OutboxAcceptance(rowID: claim.rowID, worker: "a", messageID: "<m@kilpi>", reply: "250 queued")],
                now: acceptedAt
            )
            f.clock.advance(5)
            try await f.store.outbox.record(
                [(claim.rowID, .sent(reply: "250 queued", messageID: "<m@kilpi>"))],
                worker: "a",
                now: f.now
            )
            let row = try #require(try await f.store.outbox.find(noticeKey: claim.noticeKey))
            #expect(row.state == .sent && row.sentAt?.epochMilliseconds == acceptedAt.epochMilliseconds)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aRenewedLeaseIsNotTakenOver(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await NoticeOutboxTests.running(f)
            let claims = try await f.store.outbox.claim(worker: "a", limit: 3, leaseSeconds: 30, now: f.now)
            let ids = claims.map(\.rowID)
            f.clock.advance(20)
            #expect(try await f.store.outbox.renewLease(rowIDs: ids, worker: "a", leaseSeconds: 30, now: f.now) == 3)
            #expect(try await f.store.outbox.renewLease(rowIDs: ids, worker: "b", leaseSeconds: 30, now: f.now) == 0)
            // 40 s after the claim: the first lease would have run out, the renewed one has not.
            f.clock.advance(20)
            let other = try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 30, now: f.now)
            #expect(other.count == 3)
            #expect(Set(other.map(\.rowID)).isDisjoint(with: ids))
            // Not renewed again: taken over once it runs out.
            f.clock.advance(15)
            let late = try await f.store.outbox.claim(worker: "c", limit: 10, leaseSeconds: 30, now: f.now)
            #expect(Set(late.map(\.rowID)) == Set(ids))
        }
    }
}

extension NoticeOutboxAcceptanceTests {
    /// A notice sent, then bounced by a DSN, then retried: it goes out again (its old acceptance is not taken for
    /// a new one, which would leave it queued for ever and stall the campaign).
    @Test(arguments: TestDatabases.engines)
    func aRetriedNoticeThatABounceReportMarkedIsSentAgain(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await NoticeOutboxTests.running(f)
            let claims = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 30, now: f.now)
            try await f.store.outbox.record(
                claims.map { ($0.rowID, .sent(reply: "250 ok", messageID: "<\($0.rowID)@kilpi>")) },
                worker: "a",
                now: f.now
            )
            let bounced = claims[0]
            #expect(try await f.store.outbox.markBounced(noticeKey: bounced.noticeKey, reply: "5.1.1 gone", now: f.now))
            #expect(try await w.service.retryFailed(campaignID: campaign.id, by: w.editor, now: f.now) == 1)
            f.clock.advance(1)
            let again = try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 30, now: f.now)
            #expect(again.map(\.rowID) == [bounced.rowID])
            let row = try #require(try await f.store.outbox.find(noticeKey: bounced.noticeKey))
            #expect(row.state == .sending && row.sentAt == nil && row.messageID == nil)
        }
    }
}
