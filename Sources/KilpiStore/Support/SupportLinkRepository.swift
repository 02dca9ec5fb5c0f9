import Foundation
import KilpiCore
import SQLKit

/// Personal support links: each notice carries one, which opens that customer's page of that campaign.
///
/// A token is 128 random bits, shown once (put into the notice) and stored only as its SHA-256. A plain hash is
/// enough here, unlike passwords: nobody can try 2^128 candidates, so a stolen table of hashes gives no token back,
/// and a fast hash keeps the look-up a single indexed read. Links expire (`SupportSettings.linkLifetime`) and can
/// be revoked one by one or for a whole campaign.
public struct SupportLinkRepository: Sendable {
    let database: Database
    let vault: Vault
    let audit: any AuditLog
    public let settings: SupportSettings

    public init(database: Database, vault: Vault, audit: any AuditLog, settings: SupportSettings = .standard) {
        self.database = database
        self.vault = vault
        self.audit = audit
        self.settings = settings
    }

    var throttle: SupportThrottle { SupportThrottle(database: database, limits: settings.limits) }

    /// Random bytes in a token: 128 bits.
    public static let tokenBytes = 16

    // MARK: Issuing

    /// Issues one link for each outbox row (the delivery engine calls this as it composes a batch), in one
    /// transaction with one audit entry per campaign. A row of a campaign whose links were revoked, or whose own
    /// link was, gets a link that is revoked already, so its page explains instead of the worker failing.
    public func issue(
        outboxIDs: [Int64],
        by caller: Caller = Caller(.system, ip: "local"),
        now: Date
    ) async throws -> [IssuedSupportLink] {
        let ids = Array(Set(outboxIDs)).sorted()
        guard !ids.isEmpty else { return [] }
        let nowMs = now.epochMilliseconds
        let expires = nowMs + Int64((settings.linkLifetime * 1000).rounded())
        let audit = audit
        return try await database.transaction { sql in
            var issued: [IssuedSupportLink] = []
            var perCampaign: [Int64: Int] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let rows = try await sql.raw(
                    """
                    SELECT o.id, o.campaign_id, o.customer_id, c.incident_id,
                        COALESCE(r.revoked_at,
                            (SELECT MAX(s.revoked_at) FROM support_links s WHERE s.outbox_id = o.id)) AS revoked_at
                    FROM notice_outbox o JOIN notice_campaigns c ON c.id = o.campaign_id
                    LEFT JOIN support_revoked_campaigns r ON r.campaign_id = o.campaign_id
                    WHERE o.id IN (\(binds: chunk))
                    """
                ).all()
                guard rows.count == chunk.count else {
                    let found = Set(try rows.map { try $0.decode(column: "id", as: Int64.self) })
                    let missing = chunk.first { !found.contains($0) } ?? 0
                    throw SupportError(
                        [
                            FieldProblem(
                                "outbox",
                                .l("notice \(missing) does not exist", "ilmoitusta \(missing) ei ole")
                            )
                        ],
                        notFound: true
                    )
                }
                var query: SQLQueryString = """
                    INSERT INTO support_links (token_hash, outbox_id, campaign_id, customer_id, incident_id, created_at,
                        expires_at, revoked_at) VALUES
                    """
                var tokens: [String: (outbox: Int64, token: String)] = [:]
                for (index, row) in rows.enumerated() {
                    let token = SecureRandom.token(byteCount: Self.tokenBytes)
                    let hash = Digest.sha256Hex(token)
                    let outbox = try row.decode(column: "id", as: Int64.self)
                    let campaign = try row.decode(column: "campaign_id", as: Int64.self)
                    let revoked: Int64? = try row.decode(column: "revoked_at", as: Int64?.self).map { _ in nowMs }
                    tokens[hash] = (outbox, token)
                    perCampaign[campaign, default: 0] += 1
                    query =
                        query + (index == 0 ? " " : ", ")
                            + """
                            (\(bind: hash), \(bind: outbox), \(bind: campaign), \(bind: try row.decode(column: "customer_id", as: Int64.self)),
                            \(bind: try row.decode(column: "incident_id", as: Int64.self)), \(bind: nowMs), \(bind: expires), \(bind: revoked))
                            """
                }
                let inserted = try await sql.raw(query + " RETURNING id, token_hash").all()
                for row in inserted {
                    let made = tokens[try row.decode(column: "token_hash", as: String.self)]!
                    issued.append(
                        IssuedSupportLink(
                            linkID: try row.decode(column: "id", as: Int64.self),
                            outboxID: made.outbox,
                            token: made.token,
                            expiresAt: Date(epochMilliseconds: expires)
                        )
                    )
                }
            }
            for (campaign, count) in perCampaign.sorted(by: { $0.key < $1.key }) {
                try await audit.append(
                    caller.event(.supportLinkIssue, target: "campaign:\(campaign)", detail: "\(count) links"),
                    now: now,
                    in: sql
                )
            }
            return issued.sorted { $0.outboxID < $1.outboxID }
        }
    }

    /// Issues one link for one outbox row.
    public func issue(
        outboxID: Int64,
        by caller: Caller = Caller(.system, ip: "local"),
        now: Date
    ) async throws -> IssuedSupportLink {
        try await issue(outboxIDs: [outboxID], by: caller, now: now)[0]
    }

    // MARK: Resolving

    /// What `token` opens, or why it does not. A valid link costs one read and no write, and is never refused for
    /// others' misses: 128 random bits cannot be guessed, so the only thing a limit could protect is the database
    /// from a scanner, and a limit that refused good links would let anyone lock customers out. A wrong token is
    /// counted against its source; once the source's window is full its misses are refused without a write.
    public func resolve(token: String, ip: String, now: Date) async throws -> SupportResolution {
        let hash = Digest.sha256Hex(token)
        let row = try await database.read { sql in
            try await sql.raw(
                """
                SELECT l.id, l.outbox_id, l.campaign_id, l.customer_id, l.incident_id, l.expires_at, l.revoked_at,
                    r.revoked_at AS campaign_revoked_at, o.language, o.categories, c.erased_at,
                    (SELECT MAX(s.revoked_at) FROM support_links s WHERE s.outbox_id = l.outbox_id) AS notice_revoked_at,
                    (SELECT p.last_opened_at FROM support_openings p WHERE p.outbox_id = l.outbox_id) AS last_opened_at
                FROM support_links l JOIN notice_outbox o ON o.id = l.outbox_id JOIN customers c ON c.id = l.customer_id
                LEFT JOIN support_revoked_campaigns r ON r.campaign_id = l.campaign_id
                WHERE l.token_hash = \(bind: hash)
                """
            ).first()
        }
        guard let row, try row.decode(column: "erased_at", as: Int64?.self) == nil else {
            let source = [(key: SupportThrottle.source(ip), limit: settings.limits.tokenFailuresPerSource)]
            let throttle = throttle
            if try await throttle.isOver(source, now: now) { return .refused(.throttled) }
            try await throttle.countFailure(source.map(\.key), now: now)
            return .refused(.unknown)
        }
        // A link issued while its campaign was being revoked may have missed the revocation's update; the
        // campaign's own row says it all the same.
        if try row.decode(column: "campaign_revoked_at", as: Int64?.self) != nil { return .refused(.revoked) }
        // Revoking one link closes its notice: the links of its other sending attempts reached the same mailbox.
        if try row.decode(column: "notice_revoked_at", as: Int64?.self) != nil { return .refused(.revoked) }
        if try row.decode(column: "revoked_at", as: Int64?.self) != nil { return .refused(.revoked) }
        if try row.decode(column: "expires_at", as: Int64.self) <= now.epochMilliseconds { return .refused(.expired) }
        return .granted(
            SupportAccess(
                linkID: try row.decode(column: "id", as: Int64.self),
                outboxID: try row.decode(column: "outbox_id", as: Int64.self),
                campaignID: try row.decode(column: "campaign_id", as: Int64.self),
                customerID: try row.decode(column: "customer_id", as: Int64.self),
                incidentID: try row.decode(column: "incident_id", as: Int64.self),
                language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
                categories: NoticeOutboxRepository.categories(try row.decode(column: "categories", as: String.self)),
                channel: .link,
                lastOpenedAt: try row.decode(column: "last_opened_at", as: Int64?.self).map(
                    Date.init(epochMilliseconds:)
                )
            )
        )
    }

    /// The sweeper's chore that removes ended attempt windows.
    public func pruneChore() -> Sweeper.Chore {
        let throttle = throttle
        return Sweeper.Chore(
            name: "support attempt counters",
            ownTransaction: { now in try await throttle.prune(now: now) }
        )
    }
}
