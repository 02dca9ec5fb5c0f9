import Foundation

/// Something the company says in public. For now one kind: an incident's update for its customers, shown on their
/// support pages beside their notice. One person writes it, another publishes it (four eyes), and a published post
/// can be withdrawn but not edited, so what customers read is what was approved.
public struct PublicPost: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case incidentUpdate = "incident_update"
    }

    public enum State: String, Sendable, CaseIterable {
        case draft
        case published
        case withdrawn
    }

    public let id: Int64
    public let kind: Kind
    public let incidentID: Int64?
    public let language: Language
    public let title: String
    /// Plain text; paragraphs are separated by blank lines.
    public let body: String
    public let state: State
    /// The actor who wrote it (`user:7`, `token:3`).
    public let writtenBy: String
    public let writtenAt: Date
    public let publishedBy: String?
    public let publishedAt: Date?
    public let withdrawnAt: Date?

    public init(
        id: Int64,
        kind: Kind,
        incidentID: Int64?,
        language: Language,
        title: String,
        body: String,
        state: State,
        writtenBy: String,
        writtenAt: Date,
        publishedBy: String?,
        publishedAt: Date?,
        withdrawnAt: Date?
    ) {
        self.id = id
        self.kind = kind
        self.incidentID = incidentID
        self.language = language
        self.title = title
        self.body = body
        self.state = state
        self.writtenBy = writtenBy
        self.writtenAt = writtenAt
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.withdrawnAt = withdrawnAt
    }

    public static let titleLimit = 200
    public static let bodyLimit = 10_000

    /// The title and body as stored (trimmed; the title on one line), or the problems that refuse them.
    public static func checked(title: String, body: String) -> (title: String, body: String, problems: [FieldProblem]) {
        let title = NoticeText.line(title)
        let body = NoticeText.paragraphs(body)
        var problems: [FieldProblem] = []
        if title.isEmpty {
            problems.append(FieldProblem("title", .l("write a title", "kirjoita otsikko")))
        } else if title.count > titleLimit {
            problems.append(
                FieldProblem(
                    "title",
                    .l("at most \(titleLimit) characters", "enintään \(titleLimit) merkkiä")
                )
            )
        }
        if body.isEmpty {
            problems.append(FieldProblem("body", .l("write the update", "kirjoita päivitys")))
        } else if body.count > bodyLimit {
            problems.append(
                FieldProblem(
                    "body",
                    .l(
                        "at most \(bodyLimit) characters (this has \(body.count))",
                        "enintään \(bodyLimit) merkkiä (tässä on \(body.count))"
                    )
                )
            )
        }
        return (title, body, problems)
    }
}

extension AuditAction {
    public static let postDraft = AuditAction(rawValue: "post.draft")
    public static let postPublish = AuditAction(rawValue: "post.publish")
    public static let postWithdraw = AuditAction(rawValue: "post.withdraw")
}
