import Foundation
import KilpiCore
import SQLKit

/// Public posts (`public_posts`): what the trust center says (updates, incident updates, advisories, public
/// communications, edited guides). Each change is audited in its own transaction; approving a post or a
/// correction needs a second person, as approving a notice template does.
public struct PublicPostRepository: Sendable {
    let database: Database
    let audit: any AuditLog

    public init(database: Database, audit: any AuditLog) {
        self.database = database
        self.audit = audit
    }

    /// A draft update for an incident's customers in `language` (the incident page's short form).
    public func draft(
        incidentID: Int64,
        language: Language,
        title: String,
        body: String,
        by caller: Caller,
        now: Date
    ) async throws -> PublicPost {
        let checked = PublicPost.checked(title: title, body: body)
        guard checked.problems.isEmpty else { throw PostError(checked.problems) }
        return try await draft(
            PostInput(
                kind: .incidentUpdate,
                incidentID: incidentID,
                language: language,
                title: checked.title,
                body: checked.body
            ),
            by: caller,
            now: now
        )
    }

    /// A new draft of any kind.
    public func draft(_ input: PostInput, by caller: Caller, now: Date) async throws -> PublicPost {
        let audit = audit
        return try await database.transaction { sql in
            try await Self.checkReferences(input, in: sql)
            let row = try await sql.raw(
                """
                INSERT INTO public_posts (kind, incident_id, language, title, body, severity, products, topic,
                    publish_at, hold_campaign_id, hold_share, hold_until, state, written_by, written_at)
                VALUES (\(bind: input.kind.rawValue), \(bind: input.incidentID), \(bind: input.language.rawValue),
                    \(bind: input.title), \(bind: input.body), \(bind: input.severity?.rawValue),
                    \(bind: input.products), \(bind: input.topic?.rawValue), \(bind: input.publishAt?.epochMilliseconds),
                    \(bind: input.hold?.campaignID), \(bind: input.hold?.share),
                    \(bind: input.hold?.until.epochMilliseconds), \(bind: PublicPost.State.draft.rawValue),
                    \(bind: caller.actor.description), \(bind: now.epochMilliseconds))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first()
            let post = try Self.post(row!)
            try await audit.append(
                caller.event(.postDraft, target: "post:\(post.id)", detail: Self.detail(post)),
                now: now,
                in: sql
            )
            return post
        }
    }

    /// Rewrites a draft. Whoever edits becomes its last writer, so they cannot approve it either.
    public func edit(id: Int64, _ input: PostInput, by caller: Caller, now: Date) async throws -> PublicPost {
        try await change(id: id, by: caller, now: now, action: .postEdit) { post, sql in
            guard post.state == .draft else {
                throw PostError([
                    FieldProblem(
                        "state",
                        .l(
                            "only a draft can be edited; correct a published post instead",
                            "vain luonnosta voi muokata; korjaa julkaistu julkaisu sen sijaan"
                        )
                    )
                ])
            }
            try await Self.checkReferences(input, in: sql)
            return """
                UPDATE public_posts SET kind = \(bind: input.kind.rawValue), incident_id = \(bind: input.incidentID),
                    language = \(bind: input.language.rawValue), title = \(bind: input.title),
                    body = \(bind: input.body), severity = \(bind: input.severity?.rawValue),
                    products = \(bind: input.products), topic = \(bind: input.topic?.rawValue),
                    publish_at = \(bind: input.publishAt?.epochMilliseconds),
                    hold_campaign_id = \(bind: input.hold?.campaignID), hold_share = \(bind: input.hold?.share),
                    hold_until = \(bind: input.hold?.until.epochMilliseconds),
                    written_by = \(bind: caller.actor.description), written_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND state = 'draft'
                """
        }
    }

    /// Approves a draft: it is public at once, at its scheduled time, or (held) when its campaign has reached
    /// its share or at its latest time. The person who last wrote it may not approve it (nor through a token).
    /// `seen` is the writing time of the version the approver read: an edit since then is not approved unread.
    public func publish(id: Int64, seen: Date, by caller: Caller, now: Date) async throws -> PublicPost {
        try await change(id: id, by: caller, now: now, action: .postPublish) { post, sql in
            guard post.state == .draft else {
                throw PostError([
                    FieldProblem("state", .l("only a draft can be published", "vain luonnoksen voi julkaista"))
                ])
            }
            try Self.requireSeen(seen, post.writtenAt)
            try await Self.requireSecondPerson(writer: post.writtenBy, caller: caller, in: sql)
            var release = post.publishAt.map { max($0, now) } ?? now
            if let hold = post.hold {
                release = try await Self.holdMet(hold, in: sql) ? now : max(hold.until, now)
            }
            return """
                UPDATE public_posts SET state = 'published', published_by = \(bind: caller.actor.description),
                    published_at = \(bind: now.epochMilliseconds), released_at = \(bind: release.epochMilliseconds)
                WHERE id = \(bind: id) AND state = 'draft'
                """
        }
    }

    /// Proposes a correction of a published post; it shows once someone else approves it.
    public func correct(
        id: Int64,
        title: String,
        body: String,
        note: String,
        by caller: Caller,
        now: Date
    ) async throws -> PublicPost {
        let checked = PublicPost.checked(title: title, body: body)
        var problems = checked.problems
        let note = NoticeText.line(note)
        if note.isEmpty {
            problems.append(
                FieldProblem(
                    "note",
                    .l("say what was corrected: readers see it", "kerro, mitä korjattiin: lukijat näkevät sen")
                )
            )
        } else if note.count > PublicPost.noteLimit {
            problems.append(
                FieldProblem(
                    "note",
                    .l("at most \(PublicPost.noteLimit) characters", "enintään \(PublicPost.noteLimit) merkkiä")
                )
            )
        }
        guard problems.isEmpty else { throw PostError(problems) }
        return try await change(id: id, by: caller, now: now, action: .postCorrect) { post, _ in
            guard post.state == .published else {
                throw PostError([
                    FieldProblem(
                        "state",
                        .l("only a published post is corrected", "vain julkaistua julkaisua korjataan")
                    )
                ])
            }
            return """
                UPDATE public_posts SET pending_title = \(bind: checked.title), pending_body = \(bind: checked.body),
                    pending_note = \(bind: note), pending_by = \(bind: caller.actor.description),
                    pending_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND state = 'published'
                """
        }
    }

    /// Approves a pending correction: the earlier text goes into the post's history and the post says when and
    /// why it was corrected. `seen` is the proposal time of the correction the approver read.
    public func approveCorrection(id: Int64, seen: Date, by caller: Caller, now: Date) async throws -> PublicPost {
        try await change(id: id, by: caller, now: now, action: .postCorrectionApprove) { post, sql in
            guard post.state == .published, let pending = post.pendingCorrection else {
                throw PostError([
                    FieldProblem("state", .l("no correction is waiting", "mikään korjaus ei odota"))
                ])
            }
            try Self.requireSeen(seen, pending.at)
            try await Self.requireSecondPerson(writer: pending.by, caller: caller, in: sql)
            // Before it went public the earlier text was never read: it is replaced, not kept as history.
            guard post.isPublic(at: now) else {
                return """
                    UPDATE public_posts SET title = pending_title, body = pending_body, written_by = pending_by,
                        written_at = pending_at, pending_title = NULL, pending_body = NULL, pending_note = NULL,
                        pending_by = NULL, pending_at = NULL
                    WHERE id = \(bind: id) AND state = 'published'
                    """
            }
            try await sql.raw(
                """
                INSERT INTO public_post_history (post_id, revision, title, body, published_at, replaced_at)
                VALUES (\(bind: post.id), \(bind: post.revision), \(bind: post.title), \(bind: post.body),
                    \(bind: (post.correctedAt ?? post.releasedAt ?? now).epochMilliseconds),
                    \(bind: now.epochMilliseconds))
                """
            ).run()
            return """
                UPDATE public_posts SET title = pending_title, body = pending_body, correction_note = pending_note,
                    corrected_at = \(bind: now.epochMilliseconds), revision = revision + 1,
                    written_by = pending_by, written_at = pending_at,
                    pending_title = NULL, pending_body = NULL, pending_note = NULL, pending_by = NULL, pending_at = NULL
                WHERE id = \(bind: id) AND state = 'published' AND revision = \(bind: post.revision)
                """
        }
    }

    /// Takes a post down (a draft is discarded the same way). It stays in the table and the audit log.
    public func withdraw(id: Int64, by caller: Caller, now: Date) async throws -> PublicPost {
        try await change(id: id, by: caller, now: now, action: .postWithdraw) { post, _ in
            guard post.state != .withdrawn else {
                throw PostError([FieldProblem("state", .l("already withdrawn", "jo poistettu"))])
            }
            return """
                UPDATE public_posts SET state = 'withdrawn', withdrawn_by = \(bind: caller.actor.description),
                    withdrawn_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id) AND state <> 'withdrawn'
                """
        }
    }

    /// Releases the held posts whose campaign has reached its share now (their latest time releases them
    /// anyway, by `released_at`). Returns how many; each release is audited as the system's.
    @discardableResult
    public func releaseHeld(now: Date) async throws -> Int {
        let audit = audit
        return try await database.transaction { sql in
            let rows = try await sql.raw(
                """
                SELECT p.id, p.incident_id FROM public_posts p
                JOIN notice_campaigns c ON c.id = p.hold_campaign_id
                WHERE p.state = 'published' AND p.released_at > \(bind: now.epochMilliseconds)
                AND c.recipients > c.skipped AND c.delivered * 100 >= p.hold_share * (c.recipients - c.skipped)
                """
            ).all()
            var released = 0
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                // Another Kilpi process on the same PostgreSQL may release the same post at the same moment: the
                // condition (re-read after its row lock) lets only one of them release and audit it.
                guard
                    try await sql.raw(
                        """
                        UPDATE public_posts SET released_at = \(bind: now.epochMilliseconds)
                        WHERE id = \(bind: id) AND state = 'published' AND released_at > \(bind: now.epochMilliseconds)
                        RETURNING id
                        """
                    ).first() != nil
                else { continue }
                released += 1
                let incident = try row.decode(column: "incident_id", as: Int64?.self)
                try await audit.append(
                    AuditEvent(
                        actor: Actor.system.description,
                        action: .postRelease,
                        target: "post:\(id)",
                        detail: incident.map { "incident:\($0) customers notified" } ?? ""
                    ),
                    now: now,
                    in: sql
                )
            }
            return released
        }
    }

    private func change(
        id: Int64,
        by caller: Caller,
        now: Date,
        action: AuditAction,
        _ update: @escaping @Sendable (PublicPost, any SQLDatabase) async throws -> SQLQueryString
    ) async throws -> PublicPost {
        let audit = audit
        return try await database.transaction { sql in
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            guard
                let row = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.columns) FROM public_posts WHERE id = \(bind: id)\(unsafeRaw: lock)"
                ).first()
            else { throw PostError.notFound(id) }
            let post = try Self.post(row)
            let changed = try await sql.raw(try await update(post, sql) + " RETURNING \(unsafeRaw: Self.columns)")
                .first()
            // The row lock (PostgreSQL) or the single writer (SQLite) makes this unreachable; the condition in the
            // update keeps a lost race from changing a post twice all the same.
            guard let changed else {
                throw PostError([FieldProblem("state", .l("changed meanwhile", "muuttui juuri"))])
            }
            let after = try Self.post(changed)
            try await audit.append(
                caller.event(action, target: "post:\(id)", detail: Self.detail(after)),
                now: now,
                in: sql
            )
            return after
        }
    }

    /// The incident and campaign a post names exist, and a hold's campaign is the incident's.
    static func checkReferences(_ input: PostInput, in sql: any SQLDatabase) async throws {
        if let incidentID = input.incidentID {
            guard try await sql.raw("SELECT id FROM incidents WHERE id = \(bind: incidentID)").first() != nil else {
                throw PostError(
                    [
                        FieldProblem(
                            "incident",
                            .l("incident \(incidentID) does not exist", "tapausta \(incidentID) ei ole")
                        )
                    ],
                    notFound: true
                )
            }
        }
        if let hold = input.hold {
            let row = try await sql.raw(
                "SELECT incident_id FROM notice_campaigns WHERE id = \(bind: hold.campaignID)"
            ).first()
            guard let row, try row.decode(column: "incident_id", as: Int64.self) == input.incidentID else {
                throw PostError([
                    FieldProblem(
                        "hold_campaign",
                        .l(
                            "campaign \(hold.campaignID) is not one of this incident's",
                            "kampanja \(hold.campaignID) ei ole tämän tapauksen"
                        )
                    )
                ])
            }
        }
    }

    /// The version an approver read is the one still waiting (times compared to the millisecond, as stored).
    static func requireSeen(_ seen: Date, _ current: Date) throws {
        guard seen.epochMilliseconds == current.epochMilliseconds else {
            throw PostError([
                FieldProblem(
                    "state",
                    .l(
                        "it was changed after you opened it: read the new version and approve again",
                        "sitä muutettiin sen jälkeen, kun avasit sen: lue uusi versio ja hyväksy uudelleen"
                    )
                )
            ])
        }
    }

    static func requireSecondPerson(writer: String, caller: Caller, in sql: any SQLDatabase) async throws {
        let writerPerson = try await NoticeService.person(behind: writer, in: sql)
        let approver = try await NoticeService.person(behind: caller.actor.description, in: sql)
        guard writerPerson != approver else {
            throw PostError([
                FieldProblem(
                    "post",
                    .l(
                        "someone other than its writer publishes an update (four eyes)",
                        "päivityksen julkaisee joku muu kuin sen kirjoittaja (neljän silmän periaate)"
                    )
                )
            ])
        }
    }

    /// Whether the campaign has delivered to the hold's share of the recipients it can reach by email.
    static func holdMet(_ hold: PublicPost.Hold, in sql: any SQLDatabase) async throws -> Bool {
        guard
            let row = try await sql.raw(
                "SELECT recipients, skipped, delivered FROM notice_campaigns WHERE id = \(bind: hold.campaignID)"
            ).first()
        else { return false }
        let reachable =
            try row.decode(column: "recipients", as: Int64.self)
            - row.decode(column: "skipped", as: Int64.self)
        let delivered = try row.decode(column: "delivered", as: Int64.self)
        return reachable > 0 && delivered * 100 >= Int64(hold.share) * reachable
    }

    static func detail(_ post: PublicPost) -> String {
        var parts = [post.kind.rawValue, post.language.rawValue]
        if let incident = post.incidentID { parts.append("incident:\(incident)") }
        if let topic = post.topic { parts.append("topic:\(topic.rawValue)") }
        return parts.joined(separator: " ")
    }

    static let columns = """
        id, kind, incident_id, language, title, body, severity, products, topic, state, written_by, written_at, \
        publish_at, hold_campaign_id, hold_share, hold_until, published_by, published_at, released_at, withdrawn_at, \
        revision, corrected_at, correction_note, pending_title, pending_body, pending_note, pending_by, pending_at
        """

    static func post(_ row: any SQLRow) throws -> PublicPost {
        func time(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        var hold: PublicPost.Hold?
        if let campaign = try row.decode(column: "hold_campaign_id", as: Int64?.self),
            let share = try row.decode(column: "hold_share", as: Int?.self), let until = try time("hold_until")
        {
            hold = PublicPost.Hold(campaignID: campaign, share: share, until: until)
        }
        var pending: PublicPost.PendingCorrection?
        if let title = try row.decode(column: "pending_title", as: String?.self),
            let body = try row.decode(column: "pending_body", as: String?.self),
            let by = try row.decode(column: "pending_by", as: String?.self), let at = try time("pending_at")
        {
            pending = PublicPost.PendingCorrection(
                title: title,
                body: body,
                note: try row.decode(column: "pending_note", as: String?.self) ?? "",
                by: by,
                at: at
            )
        }
        return PublicPost(
            id: try row.decode(column: "id", as: Int64.self),
            kind: PublicPost.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .update,
            incidentID: try row.decode(column: "incident_id", as: Int64?.self),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            severity: try row.decode(column: "severity", as: String?.self).flatMap(PublicPost.Severity.init(rawValue:)),
            products: try row.decode(column: "products", as: String?.self),
            topic: try row.decode(column: "topic", as: String?.self).flatMap(GuideTopic.init(rawValue:)),
            state: PublicPost.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .withdrawn,
            writtenBy: try row.decode(column: "written_by", as: String.self),
            writtenAt: Date(epochMilliseconds: try row.decode(column: "written_at", as: Int64.self)),
            publishAt: try time("publish_at"),
            hold: hold,
            publishedBy: try row.decode(column: "published_by", as: String?.self),
            publishedAt: try time("published_at"),
            releasedAt: try time("released_at"),
            withdrawnAt: try time("withdrawn_at"),
            revision: try row.decode(column: "revision", as: Int.self),
            correctedAt: try time("corrected_at"),
            correctionNote: try row.decode(column: "correction_note", as: String?.self),
            pendingCorrection: pending
        )
    }
}
