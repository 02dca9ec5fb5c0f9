import Foundation
import KilpiCore
import SQLKit

/// An earlier text of a corrected post, as its history shows it.
public struct PostRevision: Sendable, Equatable {
    public let revision: Int
    public let title: String
    public let body: String
    /// When this text went out (first publication, or the correction that brought it).
    public let publishedAt: Date
    public let replacedAt: Date
}

extension PublicPostRepository {
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

    /// The console's list of every post, newest first, optionally of some kinds only.
    public func all(kinds: [PublicPost.Kind] = PublicPost.Kind.allCases, limit: Int = 500) async throws -> [PublicPost]
    {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM public_posts WHERE kind IN (\(Self.kindList(kinds)))
                ORDER BY id DESC LIMIT \(bind: limit)
                """
            ).all().map(Self.post)
        }
    }

    /// An incident's approved posts for its customers' support pages, newest first: those in the reader's
    /// language, or the English ones when there are none in it. A held post shows here at once (these readers
    /// have their notice); a scheduled one from its time.
    public func published(incidentID: Int64, language: Language, now: Date) async throws -> [PublicPost] {
        let posts = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM public_posts
                WHERE incident_id = \(bind: incidentID) AND state = 'published'
                AND kind IN ('incident_update', 'public_communication')
                AND (hold_campaign_id IS NOT NULL OR released_at IS NULL OR released_at <= \(bind: now.epochMilliseconds))
                AND language IN (\(bind: language.rawValue), 'en')
                ORDER BY published_at DESC, id DESC
                """
            ).all().map(Self.post)
        }
        let own = posts.filter { $0.language == language }
        return own.isEmpty ? posts : own
    }

    /// The posts on the public site at `now`, newest release first: of `kinds`, optionally of one incident.
    public func publicPosts(
        kinds: [PublicPost.Kind],
        incidentID: Int64? = nil,
        now: Date,
        limit: Int = 200
    ) async throws -> [PublicPost] {
        try await database.read { sql in
            let incident: SQLQueryString = incidentID.map { "AND incident_id = \(bind: $0)" } ?? ""
            return try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM public_posts
                WHERE state = 'published' AND released_at <= \(bind: now.epochMilliseconds)
                AND kind IN (\(Self.kindList(kinds))) \(incident)
                ORDER BY released_at DESC, id DESC LIMIT \(bind: limit)
                """
            ).all().map(Self.post)
        }
    }

    /// One post if it is on the public site at `now`.
    public func publicPost(id: Int64, now: Date) async throws -> PublicPost? {
        guard let post = try await find(id: id), post.isPublic(at: now) else { return nil }
        return post
    }

    /// The edited guide shown for `topic` in `language` at `now` (the newest released), if any.
    public func guide(_ topic: GuideTopic, language: Language, now: Date) async throws -> PublicPost? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM public_posts
                WHERE kind = 'guide' AND state = 'published' AND released_at <= \(bind: now.epochMilliseconds)
                AND topic = \(bind: topic.rawValue) AND language = \(bind: language.rawValue)
                ORDER BY released_at DESC, id DESC LIMIT 1
                """
            ).first().map(Self.post)
        }
    }

    /// The earlier texts of a corrected post, newest first.
    public func history(id: Int64) async throws -> [PostRevision] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT revision, title, body, published_at, replaced_at FROM public_post_history
                WHERE post_id = \(bind: id) ORDER BY revision DESC
                """
            ).all().map { row in
                PostRevision(
                    revision: try row.decode(column: "revision", as: Int.self),
                    title: try row.decode(column: "title", as: String.self),
                    body: try row.decode(column: "body", as: String.self),
                    publishedAt: Date(epochMilliseconds: try row.decode(column: "published_at", as: Int64.self)),
                    replacedAt: Date(epochMilliseconds: try row.decode(column: "replaced_at", as: Int64.self))
                )
            }
        }
    }

    /// The next time after `now` at which an approved post goes public by its schedule or latest time: the
    /// public pages' caches keep nothing past it.
    public func nextRelease(after now: Date) async throws -> Date? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT MIN(released_at) AS next FROM public_posts
                WHERE state = 'published' AND released_at > \(bind: now.epochMilliseconds)
                """
            ).first()?.decode(column: "next", as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
    }

    /// The incidents with something on the public site at `now`: the overview lists their status.
    public func publicIncidentIDs(now: Date) async throws -> [Int64] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT incident_id, MAX(released_at) AS latest FROM public_posts
                WHERE state = 'published' AND released_at <= \(bind: now.epochMilliseconds)
                AND kind IN ('incident_update', 'public_communication') AND incident_id IS NOT NULL
                GROUP BY incident_id ORDER BY latest DESC
                """
            ).all().map { try $0.decode(column: "incident_id", as: Int64.self) }
        }
    }

    /// An incident's public communications (GDPR Art. 34(3)(c)) that went out, oldest first: for the
    /// obligations register, which counts one as the communication to the data subjects.
    public func publicCommunications(incidentID: Int64, now: Date) async throws -> [PublicPost] {
        try await publicPosts(kinds: [.publicCommunication], incidentID: incidentID, now: now).reversed()
    }

    static func kindList(_ kinds: [PublicPost.Kind]) -> SQLQueryString {
        // The kinds are the enum's own raw values, never typed input; none matches nothing.
        guard !kinds.isEmpty else { return "NULL" }
        return "\(unsafeRaw: kinds.map { "'\($0.rawValue)'" }.joined(separator: ", "))"
    }
}

extension PublicPostRepository {
    /// How far a hold's campaign is: notices delivered, and the recipients it can reach by email.
    public func holdProgress(_ hold: PublicPost.Hold) async throws -> (delivered: Int64, reachable: Int64) {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT recipients, skipped, delivered FROM notice_campaigns WHERE id = \(bind: hold.campaignID)"
                ).first()
            else { return (0, 0) }
            return (
                try row.decode(column: "delivered", as: Int64.self),
                try row.decode(column: "recipients", as: Int64.self) - row.decode(column: "skipped", as: Int64.self)
            )
        }
    }
}
