import Foundation
import KilpiCore
import SQLKit

/// Notice campaigns: reading them, and the state moves the workers cause (auto-pause, completion). People's moves
/// and creation are `NoticeService`'s use cases, which call into here inside their own transactions.
public struct NoticeCampaignRepository: Sendable {
    let database: Database
    let audit: any AuditLog

    public init(database: Database, audit: any AuditLog) {
        self.database = database
        self.audit = audit
    }

    static let columns = """
        id, incident_id, scope_version_id, audience, follow_up_of, template_key, templates, state, rate_per_second,
        concurrency, error_threshold, recipients, skipped, english_fallback, created_by, created_at, started_at,
        completed_at, incident_content
        """

    public func find(id: Int64) async throws -> NoticeCampaign? {
        try await database.read { sql in try await Self.load(sql, id: id) }
    }

    /// An incident's campaigns, newest first.
    public func list(incidentID: Int64) async throws -> [NoticeCampaign] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM notice_campaigns WHERE incident_id = \(bind: incidentID)
                ORDER BY id DESC
                """
            ).all().map(Self.decode)
        }
    }

    /// Every campaign in `states` (all when empty), oldest first: what the workers and `kilpi notices list` look at.
    public func all(states: [NoticeCampaignState] = []) async throws -> [NoticeCampaign] {
        try await database.read { sql in
            let condition: SQLQueryString =
                states.isEmpty ? "" : " WHERE state IN (\(binds: states.map(\.rawValue)))"
            return try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM notice_campaigns" + condition + " ORDER BY id"
            )
            .all().map(Self.decode)
        }
    }

    static func load(_ sql: any SQLDatabase, id: Int64, forUpdate: Bool = false) async throws -> NoticeCampaign? {
        let lock = forUpdate && sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: columns) FROM notice_campaigns WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> NoticeCampaign {
        let templates =
            (try? JSONDecoder().decode(
                [String: Int64].self,
                from: Data(try row.decode(column: "templates", as: String.self).utf8)
            )) ?? [:]
        return NoticeCampaign(
            id: try row.decode(column: "id", as: Int64.self),
            incidentID: try row.decode(column: "incident_id", as: Int64.self),
            scopeVersionID: try row.decode(column: "scope_version_id", as: Int64.self),
            audience: NoticeAudience(rawValue: try row.decode(column: "audience", as: String.self)) ?? .all,
            followUpOf: try row.decode(column: "follow_up_of", as: Int64?.self),
            templateKey: try row.decode(column: "template_key", as: String.self),
            templates: Dictionary(
                uniqueKeysWithValues: templates.compactMap { key, value in Language(rawValue: key).map { ($0, value) } }
            ),
            state: NoticeCampaignState(rawValue: try row.decode(column: "state", as: String.self)) ?? .paused,
            settings: NoticeCampaignSettings(
                ratePerSecond: try row.decode(column: "rate_per_second", as: Double.self),
                concurrency: try row.decode(column: "concurrency", as: Int.self),
                errorThreshold: try row.decode(column: "error_threshold", as: Double.self)
            ),
            recipients: try row.decode(column: "recipients", as: Int.self),
            skipped: try row.decode(column: "skipped", as: Int.self),
            englishFallback: try row.decode(column: "english_fallback", as: Int.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            startedAt: try row.decode(column: "started_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            completedAt: try row.decode(column: "completed_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            // Strict: a frozen content that cannot be read must not quietly become the live incident.
            incidentContent: try NoticeIncidentContent.decoded(
                try row.decode(column: "incident_content", as: String?.self)
            )
        )
    }

    // MARK: Moves

    /// Moves campaign `id` from `from` to `to` (checked by `NoticeCampaignState.canMove`), with its timeline entry
    /// and audit entry, inside the caller's transaction. Returns false, changing nothing, when the campaign is not
    /// in `from` any more.
    static func move(
        _ id: Int64,
        incidentID: Int64,
        from: NoticeCampaignState,
        to: NoticeCampaignState,
        actor: String,
        now: Date,
        audit: AuditEvent?,
        log: any AuditLog,
        event: TimelineEvent? = nil,
        in sql: any SQLDatabase
    ) async throws -> Bool {
        precondition(from.canMove(to: to))
        let nowMs = now.epochMilliseconds
        let started: SQLQueryString =
            to == .running ? ", started_at = COALESCE(started_at, \(bind: nowMs))" : ""
        let completed: SQLQueryString =
            to == .completed ? ", completed_at = \(bind: nowMs)" : (to == .running ? ", completed_at = NULL" : "")
        let query: SQLQueryString =
            "UPDATE notice_campaigns SET state = \(bind: to.rawValue), updated_at = \(bind: nowMs)" + started
            + completed + " WHERE id = \(bind: id) AND state = \(bind: from.rawValue) RETURNING id"
        guard try await sql.raw(query).first() != nil else { return false }
        _ = try await IncidentRepository.append(
            sql,
            incidentID: incidentID,
            at: now,
            author: actor,
            kind: .notice,
            visibility: .internal,
            event: event ?? .noticeCampaignStateChanged(campaignID: id, from: from, to: to)
        )
        if let audit { try await log.append(audit, now: now, in: sql) }
        return true
    }

    /// Completes a running (or paused) campaign with no row left that is not final, by `system`.
    static func completeIfDone(_ id: Int64, now: Date, audit: any AuditLog, in sql: any SQLDatabase) async throws {
        guard let campaign = try await load(sql, id: id, forUpdate: true),
            campaign.state == .running || campaign.state == .paused
        else { return }
        let pending = try await sql.raw(
            """
            SELECT id FROM notice_outbox WHERE campaign_id = \(bind: id) AND state IN \(unsafeRaw: NoticeOutboxRepository.pendingStates) LIMIT 1
            """
        ).first()
        guard pending == nil else { return }
        let counts = try await stateCounts(sql, campaignID: id)
        _ = try await move(
            id,
            incidentID: campaign.incidentID,
            from: campaign.state,
            to: .completed,
            actor: Actor.system.description,
            now: now,
            audit: AuditEvent(
                .system,
                .noticeCampaign("complete"),
                target: "campaign:\(id)",
                detail: "sent \(counts[.sent] ?? 0), bounced \(counts[.bounced] ?? 0), failed \(counts[.failed] ?? 0)"
            ),
            log: audit,
            event: .noticeCampaignCompleted(
                campaignID: id,
                sent: counts[.sent] ?? 0,
                bounced: counts[.bounced] ?? 0,
                failed: counts[.failed] ?? 0,
                skipped: counts[.skipped] ?? 0
            ),
            in: sql
        )
    }

    /// Pauses a running campaign whose bounced and failed notices passed its error threshold, by `system`.
    static func checkThreshold(_ id: Int64, now: Date, audit: any AuditLog, in sql: any SQLDatabase) async throws {
        guard
            let row = try await sql.raw(
                """
                SELECT incident_id, state, error_threshold, delivered, failures FROM notice_campaigns WHERE id = \(bind: id)
                """
            ).first()
        else { return }
        let threshold = try row.decode(column: "error_threshold", as: Double.self)
        let failures = try row.decode(column: "failures", as: Int.self)
        let attempted = failures + (try row.decode(column: "delivered", as: Int.self))
        guard try row.decode(column: "state", as: String.self) == NoticeCampaignState.running.rawValue,
            threshold > 0, attempted >= NoticeCampaignSettings.minimumSample,
            Double(failures) > threshold * Double(attempted)
        else { return }
        _ = try await move(
            id,
            incidentID: try row.decode(column: "incident_id", as: Int64.self),
            from: .running,
            to: .paused,
            actor: Actor.system.description,
            now: now,
            audit: AuditEvent(
                .system,
                .noticeCampaign("auto_pause"),
                target: "campaign:\(id)",
                detail: "\(failures) of \(attempted) bounced or failed"
            ),
            log: audit,
            event: .noticeCampaignAutoPaused(campaignID: id, failures: failures, attempted: attempted),
            in: sql
        )
    }

    /// Rows per outbox state of one campaign.
    static func stateCounts(_ sql: any SQLDatabase, campaignID: Int64) async throws -> [OutboxState: Int] {
        var counts: [OutboxState: Int] = [:]
        for row in try await sql.raw(
            "SELECT state, count(*) AS n FROM notice_outbox WHERE campaign_id = \(bind: campaignID) GROUP BY state"
        ).all() {
            if let state = OutboxState(rawValue: try row.decode(column: "state", as: String.self)) {
                counts[state] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }
}
