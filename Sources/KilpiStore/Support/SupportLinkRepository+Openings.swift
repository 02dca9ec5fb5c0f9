import Foundation
import KilpiCore
import SQLKit

/// Who has read their notice: a notice's first and last opening and a count of visits, times only.
extension SupportLinkRepository {
    /// Openings closer together than this are one visit and cost no write, so reloading a page (or a benchmark)
    /// does not put every view behind the database's one writer.
    public static let openingResolution: TimeInterval = 60

    /// Records that the customer opened the page `access` grants. The first opening of a notice is audited (by
    /// `anonymous` from `ip`); later ones are counted. An opening within `openingResolution` of the one `access`
    /// was read with costs nothing; the write itself counts only past the resolution, so an `access` read before
    /// a parallel opening counts that visit once.
    public func recordOpening(_ access: SupportAccess, ip: String, now: Date) async throws {
        let nowMs = now.epochMilliseconds
        let since = nowMs - Int64(Self.openingResolution * 1000)
        if let last = access.lastOpenedAt, last.epochMilliseconds > since { return }
        let audit = audit
        try await database.transaction { sql in
            let count = try await sql.raw(
                """
                INSERT INTO support_openings (outbox_id, campaign_id, first_opened_at, last_opened_at, open_count)
                VALUES (\(bind: access.outboxID), \(bind: access.campaignID), \(bind: nowMs), \(bind: nowMs), 1)
                ON CONFLICT (outbox_id) DO UPDATE SET last_opened_at = excluded.last_opened_at,
                    open_count = support_openings.open_count + 1
                WHERE support_openings.last_opened_at <= \(bind: since)
                RETURNING open_count
                """
            ).first().map { try $0.decode(column: "open_count", as: Int.self) }
            if count == 1 {
                try await audit.append(
                    Caller(.anonymous, ip: ip).event(
                        .supportNoticeOpened,
                        target: "notice:\(access.outboxID)",
                        detail: "campaign:\(access.campaignID) via \(access.channel.rawValue)"
                    ),
                    now: now,
                    in: sql
                )
            }
        }
    }

    /// The openings of one notice, if it was ever opened.
    public func opening(outboxID: Int64) async throws -> SupportOpening? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT outbox_id, first_opened_at, last_opened_at, open_count FROM support_openings
                WHERE outbox_id = \(bind: outboxID)
                """
            ).first().map(Self.decodeOpening)
        }
    }

    /// A campaign's opened notices, by outbox id after `after`.
    public func openings(campaignID: Int64, after: Int64 = 0, limit: Int = 1000) async throws -> [SupportOpening] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT outbox_id, first_opened_at, last_opened_at, open_count FROM support_openings
                WHERE campaign_id = \(bind: campaignID) AND outbox_id > \(bind: after)
                ORDER BY outbox_id LIMIT \(literal: max(0, min(limit, 10_000)))
                """
            ).all().map(Self.decodeOpening)
        }
    }

    /// How many of a campaign's notices were opened at least once.
    public func openedCount(campaignID: Int64) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT count(*) AS n FROM support_openings WHERE campaign_id = \(bind: campaignID)")
                .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    static func decodeOpening(_ row: any SQLRow) throws -> SupportOpening {
        SupportOpening(
            outboxID: try row.decode(column: "outbox_id", as: Int64.self),
            firstOpenedAt: Date(epochMilliseconds: try row.decode(column: "first_opened_at", as: Int64.self)),
            lastOpenedAt: Date(epochMilliseconds: try row.decode(column: "last_opened_at", as: Int64.self)),
            count: try row.decode(column: "open_count", as: Int.self)
        )
    }
}
