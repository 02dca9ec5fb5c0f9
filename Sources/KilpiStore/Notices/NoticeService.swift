import Foundation
import KilpiCore
import SQLKit

/// The notice use cases that the console, the API and the command line share. Each validates its input, then
/// writes the change, its timeline entry (campaigns) and its audit entry in one transaction, so a failure anywhere
/// leaves neither the change nor the record of it. Audit details and timeline entries name ids and counts, never a
/// customer's name or address.
public struct NoticeService: Sendable {
    let store: Store
    let checker: any NoticeTemplateChecker

    public init(store: Store, checker: any NoticeTemplateChecker) {
        self.store = store
        self.checker = checker
    }

    /// The longest subject, and the longest text or HTML part, a template may have.
    public static let maximumSubject = 300
    public static let maximumBody = 200_000

    // MARK: Templates

    /// Saves `text` as the next version of (key, language): always a draft, checked by the template checker first
    /// (syntax, unknown variables; each problem names the part and line).
    public func saveTemplate(
        key: String,
        language: Language,
        text: NoticeTemplateText,
        by caller: Caller,
        now: Date
    ) async throws -> NoticeTemplateVersion {
        var problems: [FieldProblem] = []
        if !NoticeTemplateVersion.keys.contains(key) {
            let keys = NoticeTemplateVersion.keys.joined(separator: ", ")
            problems.append(FieldProblem("key", .l("must be one of \(keys)", "oltava jokin näistä: \(keys)")))
        }
        let maximumSubject = Self.maximumSubject
        let maximumBody = Self.maximumBody
        if text.subject.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(FieldProblem("subject", .l("must not be empty", "ei saa olla tyhjä")))
        } else if text.subject.count > maximumSubject {
            problems.append(
                FieldProblem(
                    "subject",
                    .l("at most \(maximumSubject) characters", "enintään \(maximumSubject) merkkiä")
                )
            )
        }
        for (field, body) in [("text", text.text), ("html", text.html)] {
            if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldProblem(field, .l("must not be empty", "ei saa olla tyhjä")))
            } else if body.utf8.count > maximumBody {
                problems.append(
                    FieldProblem(field, .l("at most \(maximumBody) bytes", "enintään \(maximumBody) tavua"))
                )
            }
        }
        guard problems.isEmpty else { throw NoticeError(problems) }
        let checked = checker.problems(text, language: language)
        guard checked.isEmpty else { throw NoticeError(checked) }
        let audit = store.audit
        return try await store.database.transaction { sql in
            let version = try await Self.insertTemplate(
                sql,
                key: key,
                language: language,
                text: text,
                actor: caller.actor.description,
                now: now
            )
            try await audit.append(
                caller.event(
                    .noticeTemplateSave,
                    target: "notice_template:\(version.id)",
                    detail: "\(key)/\(language.rawValue) v\(version.version)"
                ),
                now: now,
                in: sql
            )
            return version
        }
    }

    static func insertTemplate(
        _ sql: any SQLDatabase,
        key: String,
        language: Language,
        text: NoticeTemplateText,
        actor: String,
        now: Date
    ) async throws -> NoticeTemplateVersion {
        // Two saves of one (key, language) at once: the second one's INSERT meets the unique version and fails
        // (the transaction changes nothing), rather than two drafts with one number.
        let next =
            (try await sql.raw(
                """
                SELECT max(version) AS v FROM notice_templates WHERE template_key = \(bind: key) AND language = \(bind: language.rawValue)
                """
            ).first()?.decode(column: "v", as: Int?.self) ?? 0) + 1
        let id = try await sql.raw(
            """
            INSERT INTO notice_templates (template_key, language, version, subject, body_text, body_html, created_by, created_at)
            VALUES (\(bind: key), \(bind: language.rawValue), \(bind: next), \(bind: text.subject), \(bind: text.text), \(bind: text.html),
                \(bind: actor), \(bind: now.epochMilliseconds))
            RETURNING id
            """
        ).first().map { try $0.decode(column: "id", as: Int64.self) }!
        return NoticeTemplateVersion(
            id: id,
            key: key,
            language: language,
            version: next,
            text: text,
            createdBy: actor,
            createdAt: Date(epochMilliseconds: now.epochMilliseconds),
            approvedBy: nil,
            approvedAt: nil
        )
    }

    /// Approves a template version: only by someone other than who saved it (four eyes). Approving version N
    /// leaves the approvals of older versions as history; campaigns pin the newest approved version.
    public func approveTemplate(id: Int64, by caller: Caller, now: Date) async throws -> NoticeTemplateVersion {
        let audit = store.audit
        return try await store.database.transaction { sql in
            guard let version = try await NoticeTemplateRepository.load(sql, id: id, forUpdate: true) else {
                throw NoticeError.templateNotFound(id)
            }
            if let approvedBy = version.approvedBy {
                throw NoticeError.invalid(
                    "template",
                    .l(
                        "version \(version.version) is already approved (by \(approvedBy))",
                        "versio \(version.version) on jo hyväksytty (\(approvedBy))"
                    )
                )
            }
            let actor = caller.actor.description
            // Four eyes are people, not credentials: an API token stands for the person who made it, so nobody
            // approves their own console draft with their own token (or one token's draft with another of theirs).
            let approverPerson = try await Self.person(behind: actor, in: sql)
            let writerPerson = try await Self.person(behind: version.createdBy, in: sql)
            guard actor != version.createdBy, approverPerson != writerPerson else {
                throw NoticeError.invalid(
                    "approved_by",
                    .l(
                        "someone other than who saved this version must approve it (four eyes)",
                        "version tallentajan sijaan jonkun toisen on hyväksyttävä se (neljän silmän periaate)"
                    )
                )
            }
            try await sql.raw(
                """
                UPDATE notice_templates SET approved_by = \(bind: actor), approved_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id)
                """
            ).run()
            try await audit.append(
                caller.event(
                    .noticeTemplateApprove,
                    target: "notice_template:\(id)",
                    detail: "\(version.key)/\(version.language.rawValue) v\(version.version)"
                ),
                now: now,
                in: sql
            )
            return NoticeTemplateVersion(
                id: version.id,
                key: version.key,
                language: version.language,
                version: version.version,
                text: version.text,
                createdBy: version.createdBy,
                createdAt: version.createdAt,
                approvedBy: actor,
                approvedAt: Date(epochMilliseconds: now.epochMilliseconds)
            )
        }
    }

    /// The person an actor acts for: a token's creator (followed through tokens made by tokens), else the actor.
    static func person(behind actor: String, in sql: any SQLDatabase) async throws -> String {
        var current = actor
        for _ in 0..<4 {
            guard current.hasPrefix("token:"), let id = Int64(current.dropFirst("token:".count)),
                let row = try await sql.raw("SELECT created_by FROM api_tokens WHERE id = \(bind: id)").first()
            else { return current }
            current = try row.decode(column: "created_by", as: String.self)
        }
        return current
    }

    /// Installs the shipped default templates (handed in by the caller, which holds the template engine) as the
    /// first version of `general` for each language that has no version yet: as drafts saved by `by`, so a
    /// person still approves them. Returns the versions installed (none when every language had one).
    @discardableResult
    public func installShipped(
        _ templates: [Language: NoticeTemplateText],
        by caller: Caller = Caller(.system, ip: "local"),
        now: Date
    ) async throws -> [NoticeTemplateVersion] {
        let audit = store.audit
        return try await store.database.transaction { sql in
            var installed: [NoticeTemplateVersion] = []
            for language in Language.allCases {
                guard let text = templates[language] else { continue }
                let existing = try await sql.raw(
                    """
                    SELECT id FROM notice_templates WHERE template_key = \(bind: NoticeTemplateVersion.generalKey)
                    AND language = \(bind: language.rawValue) LIMIT 1
                    """
                ).first()
                guard existing == nil else { continue }
                installed.append(
                    try await Self.insertTemplate(
                        sql,
                        key: NoticeTemplateVersion.generalKey,
                        language: language,
                        text: text,
                        actor: caller.actor.description,
                        now: now
                    )
                )
            }
            if !installed.isEmpty {
                try await audit.append(
                    caller.event(
                        .noticeTemplatesInstall,
                        target: "notice_templates",
                        detail: installed.map { "\($0.key)/\($0.language.rawValue) v\($0.version)" }.joined(
                            separator: ", "
                        )
                    ),
                    now: now,
                    in: sql
                )
            }
            return installed
        }
    }

    /// Records that `caller` previewed a notice as customer `customerID` would get it (from a campaign or a
    /// template version): audited like a view of that customer's data.
    public func recordPreview(
        customerID: Int64,
        campaignID: Int64? = nil,
        templateID: Int64? = nil,
        by caller: Caller,
        now: Date
    ) async throws {
        let audit = store.audit
        try await store.database.transaction { sql in
            guard try await sql.raw("SELECT id FROM customers WHERE id = \(bind: customerID)").first() != nil else {
                throw NoticeError(
                    [
                        FieldProblem(
                            "customer",
                            .l("customer \(customerID) does not exist", "asiakasta \(customerID) ei ole")
                        )
                    ],
                    notFound: true
                )
            }
            let source = [campaignID.map { "campaign:\($0)" }, templateID.map { "notice_template:\($0)" }]
                .compactMap { $0 }.joined(separator: " ")
            try await audit.append(
                caller.event(.noticePreview, target: "customer:\(customerID)", detail: source),
                now: now,
                in: sql
            )
        }
    }

    // MARK: Campaign moves

    public func start(campaignID: Int64, by caller: Caller, now: Date) async throws -> NoticeCampaign {
        try await move(campaignID, to: .running, from: [.ready], verb: "start", by: caller, now: now)
    }

    public func pause(campaignID: Int64, by caller: Caller, now: Date) async throws -> NoticeCampaign {
        try await move(campaignID, to: .paused, from: [.running], verb: "pause", by: caller, now: now)
    }

    public func resume(campaignID: Int64, by caller: Caller, now: Date) async throws -> NoticeCampaign {
        try await move(campaignID, to: .running, from: [.paused], verb: "resume", by: caller, now: now)
    }

    /// Stops a campaign for good: its rows not yet sent stay as they are and are never claimed.
    public func cancel(campaignID: Int64, by caller: Caller, now: Date) async throws -> NoticeCampaign {
        try await move(
            campaignID,
            to: .cancelled,
            from: [.ready, .running, .paused],
            verb: "cancel",
            by: caller,
            now: now
        )
    }

    private func move(
        _ id: Int64,
        to target: NoticeCampaignState,
        from allowed: [NoticeCampaignState],
        verb: String,
        by caller: Caller,
        now: Date
    ) async throws -> NoticeCampaign {
        let audit = store.audit
        return try await store.database.transaction { sql in
            guard let campaign = try await NoticeCampaignRepository.load(sql, id: id, forUpdate: true) else {
                throw NoticeError.campaignNotFound(id)
            }
            guard allowed.contains(campaign.state) else {
                let (current, wanted) = (campaign.state.rawValue, target.rawValue)
                throw NoticeError.invalid(
                    "state",
                    .l(
                        "campaign \(id) is \(current): it cannot move to \(wanted)",
                        "kampanja \(id) on tilassa \(current): se ei voi siirtyä tilaan \(wanted)"
                    )
                )
            }
            _ = try await NoticeCampaignRepository.move(
                id,
                incidentID: campaign.incidentID,
                from: campaign.state,
                to: target,
                actor: caller.actor.description,
                now: now,
                audit: caller.event(
                    .noticeCampaign(verb),
                    target: "campaign:\(id)",
                    detail: "incident:\(campaign.incidentID)"
                ),
                log: audit,
                in: sql
            )
            // A campaign with nobody left to send to (all skipped) is done as soon as it starts.
            if target == .running {
                try await NoticeCampaignRepository.completeIfDone(id, now: now, audit: audit, in: sql)
            }
            return try await NoticeCampaignRepository.load(sql, id: id)!
        }
    }

    /// "Retry failed": puts the campaign's failed and bounced notices back in the queue (a completed campaign runs
    /// again), with their attempts back at 0 and no lease, so each gets the whole retry budget again: a row that
    /// failed after the last allowed attempt would otherwise be given up on its first temporary fault. Their last
    /// reply stays until the next attempt replaces it. Returns how many. A cancelled campaign is refused. The
    /// timeline entry and the audit entry (the count) are written in the same transaction.
    @discardableResult
    public func retryFailed(campaignID: Int64, by caller: Caller, now: Date) async throws -> Int {
        let audit = store.audit
        return try await store.database.transaction { sql in
            guard let campaign = try await NoticeCampaignRepository.load(sql, id: campaignID, forUpdate: true) else {
                throw NoticeError.campaignNotFound(campaignID)
            }
            guard campaign.state != .cancelled else {
                throw NoticeError.invalid(
                    "state",
                    .l("campaign \(campaignID) is cancelled", "kampanja \(campaignID) on peruttu")
                )
            }
            let nowMs = now.epochMilliseconds
            let count = try await sql.raw(
                """
                UPDATE notice_outbox SET state = 'queued', attempts = 0, next_attempt_at = \(bind: nowMs), lease_owner = NULL,
                    lease_expires_at = NULL, sent_at = NULL, message_id = NULL, updated_at = \(bind: nowMs)
                WHERE campaign_id = \(bind: campaignID) AND state IN ('failed', 'bounced') RETURNING id
                """
            ).all().count
            guard count > 0 else { return 0 }
            try await sql.raw(
                """
                UPDATE notice_campaigns SET failures = CASE WHEN failures > \(bind: count) THEN failures - \(bind: count) ELSE 0 END
                WHERE id = \(bind: campaignID)
                """
            ).run()
            _ = try await IncidentRepository.append(
                sql,
                incidentID: campaign.incidentID,
                at: now,
                author: caller.actor.description,
                kind: .notice,
                visibility: .internal,
                event: .noticeCampaignRetried(campaignID: campaignID, count: count)
            )
            try await audit.append(
                caller.event(.noticeCampaignRetry, target: "campaign:\(campaignID)", detail: "\(count) queued again"),
                now: now,
                in: sql
            )
            if campaign.state == .completed {
                _ = try await NoticeCampaignRepository.move(
                    campaignID,
                    incidentID: campaign.incidentID,
                    from: .completed,
                    to: .running,
                    actor: caller.actor.description,
                    now: now,
                    audit: nil,
                    log: audit,
                    in: sql
                )
            }
            return count
        }
    }
}
