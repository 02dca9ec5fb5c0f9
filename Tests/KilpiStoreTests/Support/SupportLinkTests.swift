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
    func wrongTokensAreLimitedPerSourceAndBucket(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let s = try await SupportWorld.build(f)
            let limits = SupportLimits(tokenFailuresPerSource: 3, tokenFailuresPerBucket: 100)
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
            // The source is refused before anything is looked up, even for a good token.
            #expect(try await links.resolve(token: good.token, ip: "203.0.113.9", now: f.now) == .refused(.throttled))
            #expect(try await links.resolve(token: good.token, ip: "203.0.113.10", now: f.now).access != nil)
            f.clock.advance(limits.window)
            #expect(try await links.resolve(token: good.token, ip: "203.0.113.9", now: f.now).access != nil)
            // A bucket of the token hash space fills from many sources.
            let bucketed = SupportLinkRepository(
                database: f.database,
                vault: f.store.vault,
                audit: f.store.audit,
                settings: SupportSettings(limits: SupportLimits(tokenFailuresPerSource: 100, tokenFailuresPerBucket: 2))
            )
            var wrong: [String] = []
            let prefix = Digest.sha256Hex(good.token).prefix(3)
            while wrong.count < 2 {
                let token = SecureRandom.token(byteCount: 16)
                if Digest.sha256Hex(token).hasPrefix(prefix) { wrong.append(token) }
            }
            for (index, token) in wrong.enumerated() {
                _ = try await bucketed.resolve(token: token, ip: "198.51.100.\(index + 1)", now: f.now)
            }
            #expect(
                try await bucketed.resolve(token: good.token, ip: "198.51.100.50", now: f.now) == .refused(.throttled)
            )
            #expect(try await f.database.rowCount("support_attempts") > 0)
            #expect(try await bucketed.throttle.prune(now: f.now.addingTimeInterval(limits.window)) > 0)
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
        }
    }
}
