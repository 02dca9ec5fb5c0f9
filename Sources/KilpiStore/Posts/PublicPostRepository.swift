import Foundation
import KilpiCore
import SQLKit

/// Public posts (`public_posts`): an incident's updates for its customers. Each change is audited in its own
/// transaction; publishing needs a second person, as approving a notice template does.
public struct PublicPostRepository: Sendable {
    let database: Database
    let audit: any AuditLog

    public init(database: Database, audit: any AuditLog) {
        self.database = database
        self.audit = audit
    }

    /// A draft update for an incident's customers in `language`.
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
        let audit = audit
        return try await database.transaction { sql in
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
            let row = try await sql.raw(
                """
                INSERT INTO public_posts (kind, incident_id, language, title, body, state, written_by, written_at)
                VALUES (\(bind: PublicPost.Kind.incidentUpdate.rawValue), \(bind: incidentID), \(bind: language.rawValue),
                    \(bind: checked.title), \(bind: checked.body), \(bind: PublicPost.State.draft.rawValue),
                    \(bind: caller.actor.description), \(bind: now.epochMilliseconds))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first()
            let post = try Self.post(row!)
            try await audit.append(
                caller.event(
                    .postDraft,
                    target: "post:\(post.id)",
                    detail: "incident:\(incidentID) \(language.rawValue)"
                ),
                now: now,
                in: sql
            )
            return post
        }
    }

    /// Publishes a draft. The person who wrote it may not (nor through a token of theirs).
    public func publish(id: Int64, by caller: Caller, now: Date) async throws -> PublicPost {
        try await change(id: id, by: caller, now: now, action: .postPublish) { post, sql in
            guard post.state == .draft else {
                throw PostError([
                    FieldProblem("state", .l("only a draft can be published", "vain luonnoksen voi julkaista"))
                ])
            }
            let writer = try await NoticeService.person(behind: post.writtenBy, in: sql)
            let publisher = try await NoticeService.person(behind: caller.actor.description, in: sql)
            guard writer != publisher else {
                throw PostError(
                    [
                        FieldProblem(
                            "post",
                            .l(
                                "someone other than its writer publishes an update (four eyes)",
                                "päivityksen julkaisee joku muu kuin sen kirjoittaja (neljän silmän periaate)"
                            )
                        )
                    ]
                )
            }
            return """
                UPDATE public_posts SET state = 'published', published_by = \(bind: caller.actor.description),
                    published_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id) AND state = 'draft'
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
            try await audit.append(
                caller.event(action, target: "post:\(id)", detail: post.incidentID.map { "incident:\($0)" } ?? ""),
                now: now,
                in: sql
            )
            return try Self.post(changed)
        }
    }

    // MARK: Reading

    public func find(id: Int64) async throws -> PublicPost? {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM public_posts WHERE id = \(bind: id)").first()
                .map(Self.post)
        }
    }

    /// Every post of an incident, newest first, in every state (the console's list).
    public func all(incidentID: Int64) async throws -> [PublicPost] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM public_posts WHERE incident_id = \(bind: incidentID)
                ORDER BY id DESC
                """
            ).all().map(Self.post)
        }
    }

    /// The published updates of an incident for a reader of `language`, newest first: those in their language,
    /// or the English ones when there are none in it.
    public func published(incidentID: Int64, language: Language) async throws -> [PublicPost] {
        let posts = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM public_posts
                WHERE incident_id = \(bind: incidentID) AND state = 'published'
                AND language IN (\(bind: language.rawValue), 'en')
                ORDER BY published_at DESC, id DESC
                """
            ).all().map(Self.post)
        }
        let own = posts.filter { $0.language == language }
        return own.isEmpty ? posts : own
    }

    static let columns =
        "id, kind, incident_id, language, title, body, state, written_by, written_at, published_by, published_at, withdrawn_at"

    static func post(_ row: any SQLRow) throws -> PublicPost {
        PublicPost(
            id: try row.decode(column: "id", as: Int64.self),
            kind: PublicPost.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .incidentUpdate,
            incidentID: try row.decode(column: "incident_id", as: Int64?.self),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            state: PublicPost.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .withdrawn,
            writtenBy: try row.decode(column: "written_by", as: String.self),
            writtenAt: Date(epochMilliseconds: try row.decode(column: "written_at", as: Int64.self)),
            publishedBy: try row.decode(column: "published_by", as: String?.self),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            withdrawnAt: try row.decode(column: "withdrawn_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
        )
    }
}
