import Foundation
import KilpiCore
import SQLKit

/// What the console, the API and `kilpi notices status` read about a campaign's outbox.
extension NoticeOutboxRepository {
    static let rowColumns = """
        id, notice_key, campaign_id, customer_id, language, english_fallback, template_version_id, categories, state,
        attempts, next_attempt_at, last_reply, message_id, skip_reason, queued_at, first_attempt_at, sent_at, updated_at
        """

    /// Rows per state, the English-fallback count, the rate of the last minute and an estimate of what is left.
    public func progress(campaignID: Int64, now: Date = Date()) async throws -> CampaignProgress {
        try await database.read { sql in
            guard let campaign = try await NoticeCampaignRepository.load(sql, id: campaignID) else {
                throw NoticeError.campaignNotFound(campaignID)
            }
            var counts = try await NoticeCampaignRepository.stateCounts(sql, campaignID: campaignID)
            for state in OutboxState.allCases where counts[state] == nil { counts[state] = 0 }
            let recent =
                try await sql.raw(
                    """
                    SELECT count(*) AS n FROM notice_outbox WHERE campaign_id = \(bind: campaignID)
                    AND sent_at IS NOT NULL AND sent_at > \(bind: now.epochMilliseconds - 60_000)
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            let rate = Double(recent) / 60
            let remaining = counts.filter { !$0.key.isFinal }.values.reduce(0, +)
            return CampaignProgress(
                campaignID: campaignID,
                state: campaign.state,
                counts: counts,
                total: counts.values.reduce(0, +),
                englishFallback: campaign.englishFallback,
                recentRate: rate,
                estimatedSecondsLeft: remaining > 0 && rate > 0 ? Double(remaining) / rate : nil
            )
        }
    }

    /// A page of a campaign's rows (in `state`, or all), by row id after `after`.
    public func recipients(
        campaignID: Int64,
        state: OutboxState? = nil,
        after: Int64 = 0,
        limit: Int = 100
    ) async throws -> [OutboxRow] {
        try await database.read { sql in
            let filter: SQLQueryString = state.map { " AND state = \(bind: $0.rawValue)" } ?? ""
            return try await sql.raw(
                "SELECT \(unsafeRaw: Self.rowColumns) FROM notice_outbox WHERE campaign_id = \(bind: campaignID)"
                    + filter + " AND id > \(bind: after) ORDER BY id LIMIT \(literal: max(0, min(limit, 10_000)))"
            ).all().map(Self.decodeRow)
        }
    }

    /// The customers this campaign cannot reach by email: skipped (no usable address, erased) and bounced, by row
    /// id after `after`, for the letter-shop list (the caller opens the addresses it may print).
    public func unreachable(campaignID: Int64, after: Int64 = 0, limit: Int = 10_000) async throws -> [OutboxRow] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.rowColumns) FROM notice_outbox WHERE campaign_id = \(bind: campaignID)
                AND state IN ('skipped', 'bounced') AND id > \(bind: after) ORDER BY id LIMIT \(literal: max(0, min(limit, 100_000)))
                """
            ).all().map(Self.decodeRow)
        }
    }

    /// The row of the notice `noticeKey` (its outbox id), if any.
    public func find(noticeKey: String) async throws -> OutboxRow? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: Self.rowColumns) FROM notice_outbox WHERE notice_key = \(bind: noticeKey.lowercased())"
            ).first().map(Self.decodeRow)
        }
    }

    /// Whether `code` (as a person typed it) is the reference code of a notice we handed to a mail server at least
    /// once: the trust center's check. That is every notice that may have reached someone, whatever happened
    /// after (sent, deferred, bounced by a later report, failed after retries, queued again by "retry failed", or
    /// in flight and cut off by a cancel): `handed_at` once an attempt was recorded, `attempts` while one is under
    /// way. A code that never left the outbox is known to nobody outside it, so saying no to it costs nothing. Matches under every key of the ring (read again first when
    /// another process rotated), so it works in the middle of a rotation.
    public func isGenuine(code: String) async throws -> Bool {
        guard let code = NoticeReferenceCode(typed: code) else { return false }
        let (vault, engine) = (vault, database.engine)
        return try await database.read { sql in
            _ = try await vault.refreshIfStale(in: sql, engine: engine)
            let hashes = vault.index.allIndexes(code.canonical, purpose: Self.codePurpose)
            return try await sql.raw(
                """
                SELECT id FROM notice_outbox WHERE code_hash IN (\(binds: hashes))
                AND (handed_at IS NOT NULL OR attempts > 0 OR sent_at IS NOT NULL) LIMIT 1
                """
            ).first() != nil
        }
    }

    /// Became aware (the incident's key time; detected when none) → accepted by the SMTP server, over the notices
    /// of the campaign that are sent: p50, p90 and max (nearest rank).
    public func timeToNotify(campaignID: Int64) async throws -> TimeToNotify {
        try await database.read { sql in
            guard let start = try await Self.awareTime(sql, campaignID: campaignID) else {
                throw NoticeError.campaignNotFound(campaignID)
            }
            let count =
                try await sql.raw(
                    "SELECT count(*) AS n FROM notice_outbox WHERE campaign_id = \(bind: campaignID) AND state = 'sent'"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            guard count > 0, let start = start else {
                return TimeToNotify(count: count, p50: nil, p90: nil, max: nil, measuredFrom: start)
            }
            func rank(_ p: Double) async throws -> TimeInterval? {
                let offset = max(0, Int((p * Double(count)).rounded(.up)) - 1)
                return try await sql.raw(
                    """
                    SELECT sent_at FROM notice_outbox WHERE campaign_id = \(bind: campaignID) AND sent_at IS NOT NULL
                    AND state = 'sent' ORDER BY sent_at LIMIT 1 OFFSET \(literal: offset)
                    """
                ).first().map {
                    Double(try $0.decode(column: "sent_at", as: Int64.self) - start.epochMilliseconds) / 1000
                }
            }
            return TimeToNotify(
                count: count,
                p50: try await rank(0.5),
                p90: try await rank(0.9),
                max: try await rank(1),
                measuredFrom: start
            )
        }
    }

    /// Each sent customer's time to notify, by customer id after `after` (for the obligations report).
    public func customerTimesToNotify(
        campaignID: Int64,
        after: Int64 = 0,
        limit: Int = 10_000
    ) async throws -> [CustomerTimeToNotify] {
        try await database.read { sql in
            guard let start = try await Self.awareTime(sql, campaignID: campaignID) else {
                throw NoticeError.campaignNotFound(campaignID)
            }
            guard let start else { return [] }
            return try await sql.raw(
                """
                SELECT customer_id, sent_at FROM notice_outbox WHERE campaign_id = \(bind: campaignID) AND state = 'sent'
                AND customer_id > \(bind: after) ORDER BY customer_id LIMIT \(literal: max(0, min(limit, 100_000)))
                """
            ).all().map {
                CustomerTimeToNotify(
                    customerID: try $0.decode(column: "customer_id", as: Int64.self),
                    seconds: Double(try $0.decode(column: "sent_at", as: Int64.self) - start.epochMilliseconds) / 1000
                )
            }
        }
    }

    /// The incident's "became aware" time (detected when unset) for a campaign: nil when the campaign does not
    /// exist, `.some(nil)` when the incident has neither time.
    static func awareTime(_ sql: any SQLDatabase, campaignID: Int64) async throws -> Date?? {
        guard
            let row = try await sql.raw(
                """
                SELECT i.aware_at, i.detected_at FROM notice_campaigns c JOIN incidents i ON i.id = c.incident_id
                WHERE c.id = \(bind: campaignID)
                """
            ).first()
        else { return nil }
        let time =
            try row.decode(column: "aware_at", as: Int64?.self) ?? row.decode(column: "detected_at", as: Int64?.self)
        return .some(time.map(Date.init(epochMilliseconds:)))
    }

    static func decodeRow(_ row: any SQLRow) throws -> OutboxRow {
        func time(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        return OutboxRow(
            id: try row.decode(column: "id", as: Int64.self),
            noticeKey: try row.decode(column: "notice_key", as: String.self),
            campaignID: try row.decode(column: "campaign_id", as: Int64.self),
            customerID: try row.decode(column: "customer_id", as: Int64.self),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            englishFallback: try row.decode(column: "english_fallback", as: Int.self) != 0,
            templateVersionID: try row.decode(column: "template_version_id", as: Int64.self),
            categories: categories(try row.decode(column: "categories", as: String.self)),
            state: OutboxState(rawValue: try row.decode(column: "state", as: String.self)) ?? .queued,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try time("next_attempt_at"),
            lastReply: try row.decode(column: "last_reply", as: String?.self),
            messageID: try row.decode(column: "message_id", as: String?.self),
            skipReason: try row.decode(column: "skip_reason", as: String?.self).flatMap(
                NoticeSkipReason.init(rawValue:)
            ),
            queuedAt: try time("queued_at") ?? Date(epochMilliseconds: 0),
            firstAttemptAt: try time("first_attempt_at"),
            sentAt: try time("sent_at"),
            updatedAt: try time("updated_at") ?? Date(epochMilliseconds: 0)
        )
    }
}
