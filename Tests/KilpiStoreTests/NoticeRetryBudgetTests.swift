import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// "Retry failed" gives each retried notice the whole retry budget again: its attempts start over and no lease is
/// left on it, so the next claim is its first attempt (a worker gives a notice up by its attempt count, and one
/// that failed on its last allowed attempt would otherwise fail again on its first temporary fault).
@Suite struct NoticeRetryBudgetTests {
    @Test(arguments: TestDatabases.engines)
    func aRetriedNoticeStartsItsAttemptsAgainWithoutALease(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await NoticeOutboxTests.running(f)
            let first = try #require(
                try await f.store.outbox.claim(worker: "a", limit: 1, leaseSeconds: 60, now: f.now).first
            )
            #expect(first.attempts == 1)
            // Deferred twice, then given up on its third attempt.
            var attempts = first.attempts
            for _ in 0..<2 {
                try await f.store.outbox.record(
                    [(first.rowID, .deferred(reply: "451 later", retryAt: f.now))],
                    worker: "a",
                    now: f.now
                )
                f.clock.advance(1)
                let again = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now)
                attempts = try #require(again.first { $0.rowID == first.rowID }).attempts
                // Back to the queue at once, uncounted, so that only our row keeps moving.
                try await f.store.outbox.record(
                    again.filter { $0.rowID != first.rowID }.map { ($0.rowID, .released) },
                    worker: "a",
                    now: f.now
                )
            }
            #expect(attempts == 3)
            try await f.store.outbox.record([(first.rowID, .failed(reason: "gave up"))], worker: "a", now: f.now)
            #expect(try await f.store.outbox.find(noticeKey: first.noticeKey)?.attempts == 3)

            let auditBefore = try await f.auditActions().count
            #expect(try await w.service.retryFailed(campaignID: campaign.id, by: w.editor, now: f.now) == 1)
            let retried = try #require(try await f.store.outbox.find(noticeKey: first.noticeKey))
            #expect(retried.state == .queued && retried.attempts == 0)
            let lease = try await f.database.withConnection { sql in
                try await sql.raw(
                    "SELECT lease_owner, lease_expires_at FROM notice_outbox WHERE id = \(bind: first.rowID)"
                ).first()!
            }
            #expect(try lease.decode(column: "lease_owner", as: String?.self) == nil)
            #expect(try lease.decode(column: "lease_expires_at", as: Int64?.self) == nil)
            // Audited as before, in the same transaction: one entry, with the count.
            let entries = try await f.store.audit.entries(AuditFilter()).sorted { $0.id < $1.id }
            #expect(entries.count == auditBefore + 1)
            #expect(entries.last?.action == "notice.campaign_retry" && entries.last?.detail == "1 queued again")

            let next = try await f.store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(try #require(next.first { $0.rowID == first.rowID }).attempts == 1, "its first attempt again")
        }
    }
}
