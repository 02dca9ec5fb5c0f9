import Foundation
import KilpiCore
import SQLKit

/// Opening the page by the notice's reference code and the customer's email address, typed on `/support` itself
/// (links in email are what phishers copy).
extension SupportLinkRepository {
    /// The blind-index purpose of the attempt counters' code and address keys.
    static let throttlePurpose = "support-throttle"

    /// The page of the notice whose reference code is `code` and whose customer's address is `email`, or
    /// `.unknown` whatever is wrong (a code of nobody's, another customer's code, a wrong address, a typo): one
    /// query checks both, so neither the answer nor its path says which part failed. Each attempt takes a slot per
    /// source first (a right pair gives it back). Wrong pairs are counted per code and per address, and once either
    /// is full only wrong pairs are refused: a customer's address is what a breach leaks, so guesses made with it
    /// must never lock its owner out. A code opens no page once its campaign's links are revoked, or once one of its
    /// own notice's links was (a link is revoked because the notice reached someone else, and the code travelled
    /// with it); it does not expire (the trust center keeps checking it too).
    public func open(code: String, email: String, ip: String, now: Date) async throws -> SupportResolution {
        let typed = NoticeReferenceCode(typed: code)
        let keys = vault.keys
        let codeKey = keys.index.index(typed?.canonical ?? code, purpose: Self.throttlePurpose).prefix(16)
        let mailKey = keys.index.index(BlindIndex.normalizeEmail(email), purpose: Self.throttlePurpose).prefix(16)
        let limits = settings.limits
        guard
            let slots = try await throttle.take([(SupportThrottle.source(ip), limits.codeAttemptsPerSource)], now: now)
        else { return .refused(.throttled) }
        let found = try await lookUp(code: typed, email: email)
        guard let found else {
            let pair = [
                (key: "code:" + codeKey, limit: limits.codeAttemptsPerCode),
                (key: "mail:" + mailKey, limit: limits.codeAttemptsPerEmail),
            ]
            if try await throttle.isOver(pair, now: now) { return .refused(.throttled) }
            try await throttle.countFailure(pair.map(\.key), now: now)
            return .refused(.unknown)
        }
        try await throttle.giveBack(slots)
        return found
    }

    /// The page a pair opened before opens again (the code route's sealed cookie proves the pair was right): no
    /// counter is touched, but revocation, erasure and the notice's state apply at once.
    public func reopen(code: String, email: String) async throws -> SupportResolution {
        try await lookUp(code: NoticeReferenceCode(typed: code), email: email) ?? .refused(.unknown)
    }

    /// The notice of a code and address, granted or revoked; nil when the pair matches none.
    private func lookUp(code typed: NoticeReferenceCode?, email: String) async throws -> SupportResolution? {
        guard let typed, EmailAddress.isPlausible(email.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        let (vault, engine) = (vault, database.engine)
        let row = try await database.read { sql in
            _ = try await vault.refreshIfStale(in: sql, engine: engine)
            let index = vault.index
            return try await sql.raw(
                """
                SELECT o.id, o.campaign_id, o.customer_id, o.language, o.categories, n.incident_id, r.revoked_at,
                    (SELECT MAX(l.revoked_at) FROM support_links l WHERE l.outbox_id = o.id) AS link_revoked_at,
                    (SELECT p.last_opened_at FROM support_openings p WHERE p.outbox_id = o.id) AS last_opened_at
                FROM notice_outbox o JOIN customers c ON c.id = o.customer_id
                JOIN notice_campaigns n ON n.id = o.campaign_id
                LEFT JOIN support_revoked_campaigns r ON r.campaign_id = o.campaign_id
                WHERE o.code_hash IN (\(binds: index.allIndexes(typed.canonical, purpose: NoticeOutboxRepository.codePurpose)))
                AND o.state IN ('sending', 'sent', 'deferred') AND c.erased_at IS NULL
                AND c.email_index IN (\(binds: index.allEmailIndexes(email)))
                ORDER BY o.id LIMIT 1
                """
            ).first()
        }
        guard let row else { return nil }
        if try row.decode(column: "revoked_at", as: Int64?.self) != nil
            || row.decode(column: "link_revoked_at", as: Int64?.self) != nil
        {
            return .refused(.revoked)
        }
        return .granted(
            SupportAccess(
                linkID: nil,
                outboxID: try row.decode(column: "id", as: Int64.self),
                campaignID: try row.decode(column: "campaign_id", as: Int64.self),
                customerID: try row.decode(column: "customer_id", as: Int64.self),
                incidentID: try row.decode(column: "incident_id", as: Int64.self),
                language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
                categories: NoticeOutboxRepository.categories(try row.decode(column: "categories", as: String.self)),
                channel: .code,
                lastOpenedAt: try row.decode(column: "last_opened_at", as: Int64?.self).map(
                    Date.init(epochMilliseconds:)
                )
            )
        )
    }
}
