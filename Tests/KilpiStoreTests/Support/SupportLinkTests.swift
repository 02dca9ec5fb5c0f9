import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Personal links: issue, use, expiry, revocation, every row to its own customer, limits on wrong tokens, openings.
@Suite struct SupportLinkTests {
    @Test(arguments: TestDatabases.engines)
    func aLinkOpensItsNoticeUntilItExpiresOrIsRevoked(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let links = SupportLinkRepository(
                database: f.database,
                vault: f.store.vault,
                audit: f.store.audit,
                settings: SupportSettings(linkLifetime: 3600)
            )
            let row = s.rows["C0"]!
            let link = try await links.issue(outboxID: row.id, now: f.now)
            #expect(link.token.count == 22)  // 16 bytes, base64url without padding
            #expect(link.expiresAt == f.now.addingTimeInterval(3600))
            // Only the hash is stored.
            let dump = try await f.database.dump("support_links")
            #expect(!dump.contains(link.token) && dump.contains(Digest.sha256Hex(link.token)))
            let access = try #require(try await links.resolve(token: link.token, ip: "192.0.2.1", now: f.now).access)
            #expect(access.outboxID == row.id && access.customerID == s.id("C0"))
            #expect(access.campaignID == s.campaign.id && access.incidentID == s.notices.incidentID)
            #expect(access.language == .fi && Set(access.categories) == ["email", "name"] && access.channel == .link)
            #expect(
                try await links.resolve(token: "x" + link.token.dropFirst(), ip: "192.0.2.1", now: f.now)
                    == .refused(.unknown)
            )
            #expect(try await links.resolve(token: "", ip: "192.0.2.1", now: f.now) == .refused(.unknown))
            f.clock.advance(3600)
            #expect(try await links.resolve(token: link.token, ip: "192.0.2.1", now: f.now) == .refused(.expired))
            let second = try await links.issue(outboxID: row.id, now: f.now)
            #expect(try await links.revoke(linkID: second.linkID, by: s.notices.editor, now: f.now))
            #expect(!(try await links.revoke(linkID: second.linkID, by: s.notices.editor, now: f.now)))
            #expect(try await links.resolve(token: second.token, ip: "192.0.2.1", now: f.now) == .refused(.revoked))
            await #expect(throws: SupportError.self) {
                try await links.revoke(linkID: 999_999, by: s.notices.editor, now: f.now)
            }
            #expect(
                try await f.auditActions().filter { $0.hasPrefix("support.") } == [
                    "support.link_issue", "support.link_issue", "support.link_revoke",
                ]
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func revokingACampaignRevokesItsLinksAndThoseIssuedLater(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let ids = s.rows.values.map(\.id)
            let issued = try await f.store.supportLinks.issue(outboxIDs: ids, now: f.now)
            #expect(issued.count == ids.count && Set(issued.map(\.outboxID)) == Set(ids))
            let revoked = try await f.store.supportLinks.revokeCampaign(
                campaignID: s.campaign.id,
                by: s.notices.editor,
                now: f.now
            )
            #expect(revoked == ids.count)
            for link in issued {
                #expect(
                    try await f.store.supportLinks.resolve(token: link.token, ip: "192.0.2.1", now: f.now)
                        == .refused(.revoked)
                )
            }
            let later = try await f.store.supportLinks.issue(outboxID: ids[0], now: f.now)
            #expect(
                try await f.store.supportLinks.resolve(token: later.token, ip: "192.0.2.1", now: f.now)
                    == .refused(.revoked)
            )
            // The reference code no longer opens the page either.
            #expect(
                try await f.store.supportLinks.open(
                    code: s.codes["C0"]!,
                    email: SupportWorld.email("C0"),
                    ip: "192.0.2.1",
                    now: f.now
                )
                    == .refused(.revoked)
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func issuingForAMissingNoticeChangesNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            await #expect(throws: SupportError.self) {
                try await f.store.supportLinks.issue(outboxIDs: [s.rows["C0"]!.id, 999_999], now: f.now)
            }
            #expect(try await f.database.rowCount("support_links") == 0)
        }
    }

    /// For every notice of a generated campaign, its link opens exactly its own customer's notice with the
    /// categories the snapshot gave that customer.
    @Test(arguments: TestDatabases.engines)
    func everyLinkResolvesToItsOwnCustomer(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f, wide: true)
            #expect(s.rows.count == 10)
            let links = try await f.store.supportLinks.issue(outboxIDs: s.rows.values.map(\.id), now: f.now)
            let rowsByID = Dictionary(uniqueKeysWithValues: s.rows.values.map { ($0.id, $0) })
            var seen: Set<Int64> = []
            for link in links {
                let row = try #require(rowsByID[link.outboxID])
                let access = try #require(
                    try await f.store.supportLinks.resolve(token: link.token, ip: "192.0.2.1", now: f.now).access
                )
                #expect(access.customerID == row.customerID && access.outboxID == row.id)
                #expect(access.categories == row.categories && access.language == row.language)
                seen.insert(access.customerID)
            }
            #expect(seen == Set(s.rows.values.map(\.customerID)))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func wrongTokensAreLimitedPerSourceButAGoodLinkIsNeverLockedOut(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let limits = SupportLimits(tokenFailuresPerSource: 3)
            let links = SupportLinkRepository(
                database: f.database,
                vault: f.store.vault,
                audit: f.store.audit,
                settings: SupportSettings(limits: limits)
            )
            let good = try await links.issue(outboxID: s.rows["C1"]!.id, now: f.now)
            for _ in 0..<3 {
                #expect(
                    try await links.resolve(token: SecureRandom.token(byteCount: 16), ip: "203.0.113.9", now: f.now)
                        == .refused(.unknown)
                )
            }
            let counted = try await f.database.dump("support_attempts")
            #expect(
                try await links.resolve(token: SecureRandom.token(byteCount: 16), ip: "203.0.113.9", now: f.now)
                    == .refused(.throttled)
            )
            // A refused miss writes nothing more.
            #expect(try await f.database.dump("support_attempts") == counted)
            // Someone else's misses (the same source even: a shared office address) never lock a good link out.
            #expect(try await links.resolve(token: good.token, ip: "203.0.113.9", now: f.now).access != nil)
            // Misses from many sources in one corner of the hash space do not either.
            let prefix = Digest.sha256Hex(good.token).prefix(2)
            var near = 0
            while near < 12 {
                let token = SecureRandom.token(byteCount: 16)
                guard Digest.sha256Hex(token).hasPrefix(prefix) else { continue }
                near += 1
                _ = try await links.resolve(token: token, ip: "198.51.100.\(near)", now: f.now)
            }
            #expect(try await links.resolve(token: good.token, ip: "198.51.100.50", now: f.now).access != nil)
            f.clock.advance(limits.window)
            #expect(
                try await links.resolve(token: SecureRandom.token(byteCount: 16), ip: "203.0.113.9", now: f.now)
                    == .refused(.unknown)
            )
            #expect(try await links.throttle.prune(now: f.now.addingTimeInterval(limits.window)) > 0)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func revokingOneLinkAlsoClosesItsNoticesReferenceCode(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let links = f.store.supportLinks
            let code = s.codes["C0"]!
            let email = SupportWorld.email("C0")
            #expect(try await links.open(code: code, email: email, ip: "192.0.2.1", now: f.now).access != nil)
            let link = try await links.issue(outboxID: s.rows["C0"]!.id, now: f.now)
            #expect(try await links.revoke(linkID: link.linkID, by: s.notices.editor, now: f.now))
            #expect(try await links.open(code: code, email: email, ip: "192.0.2.1", now: f.now) == .refused(.revoked))
            // So do the notice's other links (each sending attempt has its own, all in the same mailbox), and the
            // link of a later attempt is revoked from the start.
            let sibling = try await links.issue(outboxID: s.rows["C0"]!.id, now: f.now)
            #expect(try await links.resolve(token: sibling.token, ip: "192.0.2.1", now: f.now) == .refused(.revoked))
            // Other customers' codes are untouched.
            #expect(
                try await links.open(code: s.codes["C1"]!, email: SupportWorld.email("C1"), ip: "192.0.2.1", now: f.now)
                    .access != nil
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aLinkThatMissedItsCampaignsRevocationIsRefusedAllTheSame(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let link = try await f.store.supportLinks.issue(outboxID: s.rows["C0"]!.id, now: f.now)
            // The shape a race leaves behind: the campaign is revoked, the link (inserted by an issuer that read
            // the campaign before the revocation committed) is not.
            _ = try await f.store.supportLinks.revokeCampaign(
                campaignID: s.campaign.id,
                by: s.notices.editor,
                now: f.now
            )
            try await f.database.withConnection { sql in
                try await sql.raw("UPDATE support_links SET revoked_at = NULL").run()
            }
            #expect(
                try await f.store.supportLinks.resolve(token: link.token, ip: "192.0.2.1", now: f.now)
                    == .refused(.revoked)
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func openingsAreCountedAsVisitsAndTheFirstIsAudited(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let access = try await s.access(f, "C2")
            #expect(try await f.store.supportLinks.opening(outboxID: access.outboxID) == nil)
            let first = f.now
            try await f.store.supportLinks.recordOpening(access, ip: "192.0.2.1", now: f.now)
            f.clock.advance(30)
            try await f.store.supportLinks.recordOpening(access, ip: "192.0.2.1", now: f.now)
            #expect(try await f.store.supportLinks.opening(outboxID: access.outboxID)?.count == 1)
            f.clock.advance(61)
            try await f.store.supportLinks.recordOpening(access, ip: "192.0.2.1", now: f.now)
            let opening = try #require(try await f.store.supportLinks.opening(outboxID: access.outboxID))
            #expect(opening.count == 2 && opening.firstOpenedAt == first && opening.lastOpenedAt == f.now)
            #expect(try await f.store.supportLinks.openings(campaignID: s.campaign.id) == [opening])
            #expect(try await f.store.supportLinks.openedCount(campaignID: s.campaign.id) == 1)
            #expect(try await f.auditActions().filter { $0 == "support.notice_opened" }.count == 1)
            // A link read now carries the last opening, so a visit within the resolution needs no read and no write.
            let reread = try await s.access(f, "C2")
            #expect(reread.lastOpenedAt == f.now)
            f.clock.advance(59)
            try await f.store.supportLinks.recordOpening(reread, ip: "192.0.2.1", now: f.now)
            #expect(try await f.store.supportLinks.opening(outboxID: access.outboxID)?.count == 2)
            // One read before a parallel visit (its opening unknown to it) still counts that visit once.
            f.clock.advance(2)
            try await f.store.supportLinks.recordOpening(reread, ip: "192.0.2.1", now: f.now)
            try await f.store.supportLinks.recordOpening(reread, ip: "192.0.2.1", now: f.now)
            #expect(try await f.store.supportLinks.opening(outboxID: access.outboxID)?.count == 3)
        }
    }
}
