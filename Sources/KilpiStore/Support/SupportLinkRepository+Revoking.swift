import Foundation
import KilpiCore
import SQLKit

/// Revoking links: one notice (a customer whose notice reached someone else), or a whole campaign.
extension SupportLinkRepository {
    /// Revokes one link; false when it was revoked already.
    @discardableResult
    public func revoke(linkID: Int64, by caller: Caller, now: Date) async throws -> Bool {
        let audit = audit
        return try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    "SELECT revoked_at, campaign_id FROM support_links WHERE id = \(bind: linkID)"
                ).first()
            else {
                throw SupportError(
                    [FieldProblem("link", .l("link \(linkID) does not exist", "linkkiä \(linkID) ei ole"))],
                    notFound: true
                )
            }
            guard try row.decode(column: "revoked_at", as: Int64?.self) == nil else { return false }
            try await sql.raw(
                "UPDATE support_links SET revoked_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: linkID)"
            ).run()
            let campaign = try row.decode(column: "campaign_id", as: Int64.self)
            try await audit.append(
                caller.event(.supportLinkRevoke, target: "support_link:\(linkID)", detail: "campaign:\(campaign)"),
                now: now,
                in: sql
            )
            return true
        }
    }

    /// Revokes every link of a campaign, those issued later included, and closes the reference-code door to its
    /// notices. Returns how many links were still live.
    @discardableResult
    public func revokeCampaign(campaignID: Int64, by caller: Caller, now: Date) async throws -> Int {
        let audit = audit
        let nowMs = now.epochMilliseconds
        return try await database.transaction { sql in
            guard try await Self.lockCampaign(campaignID, in: sql) else {
                throw NoticeError.campaignNotFound(campaignID)
            }
            try await sql.raw(
                """
                INSERT INTO support_revoked_campaigns (campaign_id, revoked_at, revoked_by)
                VALUES (\(bind: campaignID), \(bind: nowMs), \(bind: caller.actor.description))
                ON CONFLICT (campaign_id) DO NOTHING
                """
            ).run()
            let count = try await sql.raw(
                """
                UPDATE support_links SET revoked_at = \(bind: nowMs)
                WHERE campaign_id = \(bind: campaignID) AND revoked_at IS NULL RETURNING id
                """
            ).all().count
            try await audit.append(
                caller.event(.supportCampaignLinksRevoke, target: "campaign:\(campaignID)", detail: "\(count) links"),
                now: now,
                in: sql
            )
            return count
        }
    }

    /// Closes one notice's page: revokes every link of every sending attempt (those issued later are issued
    /// revoked, see `issue`) and so its reference code too. For a customer whose notice reached someone else; the
    /// customer can still be reached by a new campaign. A notice that has no link yet gets one that is revoked
    /// already, so that its code closes all the same. Returns how many links were still live.
    @discardableResult
    public func revokeNotice(
        outboxID: Int64,
        from origin: String? = nil,
        by caller: Caller,
        now: Date
    ) async throws -> Int {
        let audit = audit
        let nowMs = now.epochMilliseconds
        return try await database.transaction { sql in
            guard
                let notice = try await sql.raw(
                    """
                    SELECT o.campaign_id, o.customer_id, c.incident_id FROM notice_outbox o
                    JOIN notice_campaigns c ON c.id = o.campaign_id WHERE o.id = \(bind: outboxID)
                    """
                ).first()
            else {
                throw SupportError(
                    [FieldProblem("notice", .l("notice \(outboxID) does not exist", "ilmoitusta \(outboxID) ei ole"))],
                    notFound: true
                )
            }
            let campaign = try notice.decode(column: "campaign_id", as: Int64.self)
            _ = try await Self.lockCampaign(campaign, in: sql)
            let live = try await sql.raw(
                """
                UPDATE support_links SET revoked_at = \(bind: nowMs)
                WHERE outbox_id = \(bind: outboxID) AND revoked_at IS NULL RETURNING id
                """
            ).all().count
            if live == 0,
                try await sql.raw("SELECT id FROM support_links WHERE outbox_id = \(bind: outboxID) LIMIT 1").first()
                    == nil
            {
                // The token is never shown to anyone: the row only marks the notice as closed.
                try await sql.raw(
                    """
                    INSERT INTO support_links (token_hash, outbox_id, campaign_id, customer_id, incident_id, created_at,
                        expires_at, revoked_at)
                    VALUES (\(bind: Digest.sha256Hex(SecureRandom.token(byteCount: Self.tokenBytes))), \(bind: outboxID),
                        \(bind: campaign), \(bind: try notice.decode(column: "customer_id", as: Int64.self)),
                        \(bind: try notice.decode(column: "incident_id", as: Int64.self)), \(bind: nowMs), \(bind: nowMs),
                        \(bind: nowMs))
                    """
                ).run()
            }
            try await audit.append(
                caller.event(
                    .supportLinkRevoke,
                    target: "notice:\(outboxID)",
                    detail: "campaign:\(campaign) \(live) live links" + (origin.map { " from \($0)" } ?? "")
                ),
                now: now,
                in: sql
            )
            return live
        }
    }

    /// Takes the campaign's row lock on PostgreSQL (SQLite's single writer serialises already), so that revoking a
    /// notice and its whole campaign at once lock the links in one order. False when the campaign does not exist.
    static func lockCampaign(_ campaignID: Int64, in sql: any SQLDatabase) async throws -> Bool {
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            "SELECT id FROM notice_campaigns WHERE id = \(bind: campaignID)\(unsafeRaw: lock)"
        ).first() != nil
    }

    /// When a campaign's links were revoked, if they were.
    public func campaignRevokedAt(campaignID: Int64) async throws -> Date? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT revoked_at FROM support_revoked_campaigns WHERE campaign_id = \(bind: campaignID)"
            ).first().map { Date(epochMilliseconds: try $0.decode(column: "revoked_at", as: Int64.self)) }
        }
    }

    /// Whether a notice's page is closed: one of its links was revoked, or its campaign's were.
    public func isNoticeRevoked(outboxID: Int64) async throws -> Bool {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT 1 AS closed FROM notice_outbox o
                WHERE o.id = \(bind: outboxID) AND (
                    EXISTS (SELECT 1 FROM support_links l WHERE l.outbox_id = o.id AND l.revoked_at IS NOT NULL)
                    OR EXISTS (SELECT 1 FROM support_revoked_campaigns r WHERE r.campaign_id = o.campaign_id))
                """
            ).first() != nil
        }
    }
}
