import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The trust center's "Is this message from us?" over the real outbox: a code is genuine once its notice was handed
/// to a mail server, whatever happened after; never for a code that did not leave; and checks are counted per source.
@Suite struct NoticeVerifierTests {
    @Test(arguments: TestDatabases.engines)
    func aCodeIsGenuineOnceItsNoticeWasHandedToAMailServerAndStaysSo(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await NoticeOutboxTests.running(f)
            let claimed = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(claimed.count == 6)
            let (sent, bounced, unsent) = (claimed[0], claimed[1], claimed[2])
            try await f.store.outbox.record(
                [
                    (sent.rowID, .sent(reply: "250 ok", messageID: "<1@kilpi.example>")),
                    (bounced.rowID, .bounced(reply: "550 no such user")),
                    (unsent.rowID, .released),
                ],
                worker: "a",
                now: f.now
            )
            // The claim of the others stands (`sending`), then the campaign is cancelled: a notice the server may
            // have accepted in that window is still ours.
            _ = try await w.service.cancel(campaignID: campaign.id, by: w.editor, now: f.now)
            let verifier = f.store.verifier
            for notice in [sent, bounced, claimed[3]] {
                #expect(try await verifier.check(code: notice.referenceCode, ip: "203.0.113.7", now: f.now) == .genuine)
            }
            // As people type it: lower case, spaces instead of the dash, O for zero.
            let typed = sent.referenceCode.lowercased().replacingOccurrences(of: "-", with: " ")
                .replacingOccurrences(of: "0", with: "o")
            #expect(try await verifier.check(code: typed, ip: "203.0.113.7", now: f.now) == .genuine)
            // Released before any attempt: the code never left, so it is not a notice of ours.
            #expect(try await verifier.check(code: unsent.referenceCode, ip: "203.0.113.7", now: f.now) == .notOurs)
            #expect(try await verifier.check(code: "ZZZZ-ZZZZ", ip: "203.0.113.7", now: f.now) == .notOurs)
        }
    }

    /// "Retry failed" queues bounced and failed notices again with a fresh retry budget (attempts and the time sent
    /// set back); a notice refused at the door, or accepted and bounced later by a report, may still be in the
    /// customer's hands (a forwarder, a late report), so its code stays genuine while it waits, and after a cancel.
    @Test(arguments: TestDatabases.engines)
    func aRetriedBounceStaysGenuine(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await NoticeOutboxTests.running(f)
            let claimed = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 60, now: f.now)
            #expect(claimed.count == 6)
            // Half are refused at the door and recorded; the other half are accepted (marked before the worker
            // records) and a bounce report comes back for them before the worker gets to record.
            let (refused, accepted) = (Array(claimed.prefix(3)), Array(claimed.dropFirst(3)))
            try await f.store.outbox.record(
                refused.map { ($0.rowID, OutboxResult.bounced(reply: "550 5.1.1 no such user")) },
                worker: "a",
                now: f.now
            )
            try await f.store.outbox.markAccepted(
                accepted.map {
                    OutboxAcceptance(rowID: $0.rowID, worker: "a", messageID: "<\($0.noticeKey)@k>", reply: "250 ok")
                },
                now: f.now
            )
            // The accepted mark alone records the hand-over (before any bounce report).
            let handed = try await f.store.database.read { sql in
                try await sql.raw(
                    "SELECT count(*) AS n FROM notice_outbox WHERE handed_at IS NOT NULL AND id IN (\(binds: accepted.map(\.rowID)))"
                ).first()?.decode(column: "n", as: Int.self)
            }
            #expect(handed == accepted.count)
            for notice in accepted {
                #expect(
                    try await f.store.outbox.markBounced(noticeKey: notice.noticeKey, reply: "5.1.1 gone", now: f.now)
                )
            }
            #expect(try await w.service.retryFailed(campaignID: campaign.id, by: w.editor, now: f.now) == claimed.count)
            let attempts = try await f.store.database.read { sql in
                try await sql.raw("SELECT MAX(attempts) AS n FROM notice_outbox").first()?.decode(
                    column: "n",
                    as: Int.self
                )
            }
            #expect(attempts == 0, "the retry budget starts again")
            _ = try await w.service.cancel(campaignID: campaign.id, by: w.editor, now: f.now)
            for notice in claimed {
                #expect(
                    try await f.store.verifier.check(code: notice.referenceCode, ip: "203.0.113.8", now: f.now)
                        == .genuine
                )
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func checksAreCountedPerSourceAndAMalformedCodeCostsNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let verifier = NoticeVerifier(
                outbox: f.store.outbox,
                throttle: SupportThrottle(
                    database: f.store.database,
                    limits: SupportLimits(window: 900, referenceChecksPerSource: 3)
                )
            )
            for garbage in [
                "", "K7M4", "K7M4-Q2XD-9", "<script>", "Robert'); DROP TABLE notice_outbox;--", "ÄÄÄÄ-ÖÖÖÖ",
            ] {
                #expect(try await verifier.check(code: garbage, ip: "198.51.100.1", now: f.now) == .malformed)
            }
            #expect(
                try await verifier.check(code: String(repeating: "K", count: 10_000), ip: "198.51.100.1", now: f.now)
                    == .malformed
            )
            // Parallel checks from one source get no more than the limit.
            let answers = try await withThrowingTaskGroup(of: NoticeVerifier.Answer.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await verifier.check(code: "ZZZZ-ZZZ\(index)", ip: "198.51.100.1", now: f.now)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .notOurs }.count == 3, "\(answers)")
            let refused = answers.filter { $0 != .notOurs }
            #expect(refused.count == 5)
            for answer in refused {
                guard case .throttled(let seconds) = answer else {
                    Issue.record("not throttled: \(answer)")
                    continue
                }
                #expect((1...900).contains(seconds))
            }
            // Another source is not held back; the same one is again once its window has passed.
            #expect(try await verifier.check(code: "ZZZZ-ZZZZ", ip: "198.51.100.2", now: f.now) == .notOurs)
            f.clock.advance(900)
            #expect(try await verifier.check(code: "ZZZZ-ZZZZ", ip: "198.51.100.1", now: f.now) == .notOurs)
        }
    }

    /// A bounce report for a notice still `sending` and never marked accepted (the worker died at the end of the
    /// data) proves it left: it is genuine after "retry failed" too.
    @Test(arguments: TestDatabases.engines)
    func aBounceReportAloneProvesANoticeLeft(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await NoticeOutboxTests.running(f)
            let claimed = try await f.store.outbox.claim(worker: "a", limit: 1, leaseSeconds: 60, now: f.now)
            let notice = try #require(claimed.first)
            #expect(try await f.store.outbox.markBounced(noticeKey: notice.noticeKey, reply: "5.1.1 gone", now: f.now))
            #expect(try await w.service.retryFailed(campaignID: campaign.id, by: w.editor, now: f.now) == 1)
            #expect(
                try await f.store.verifier.check(code: notice.referenceCode, ip: "203.0.113.9", now: f.now) == .genuine
            )
        }
    }
}
