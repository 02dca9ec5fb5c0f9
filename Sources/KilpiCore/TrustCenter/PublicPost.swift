import Foundation

/// Something the company says in public, on the trust center (and an incident's posts also on its customers'
/// support pages). One person writes it, another approves it (four eyes); an approved post goes public at once,
/// at a scheduled time, or, held for customers to hear first, once its notice campaign has reached a share of
/// its recipients (or at a latest time). A published post is corrected, not edited: a correction is approved
/// like the post, the earlier text is kept, and the post says it was corrected.
public struct PublicPost: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// News about the company's security: new protections, software updates, certificates.
        case update
        /// An incident's update: on the public site and on its customers' support pages.
        case incidentUpdate = "incident_update"
        /// A short security advisory with a severity and the products it concerns.
        case advisory
        /// GDPR Art. 34(3)(c): a public communication instead of individual notices, recorded for the
        /// obligations register. Always about an incident; never held (it is the notice).
        case publicCommunication = "public_communication"
        /// An edited guide that replaces the shipped one for its topic and language.
        case guide

        public var needsIncident: Bool { self == .incidentUpdate || self == .publicCommunication }
    }

    public enum State: String, Sendable, CaseIterable {
        case draft
        case published
        case withdrawn
    }

    /// How serious an advisory is (the words of CVSS's qualitative scale).
    public enum Severity: String, Sendable, CaseIterable {
        case low, medium, high, critical
    }

    /// Keeps an approved incident post off the public site until its customers have heard from us: until the
    /// campaign has delivered to `share` per cent of the recipients it can reach by email, or until `until`,
    /// whichever comes first.
    public struct Hold: Sendable, Equatable {
        public let campaignID: Int64
        public let share: Int
        public let until: Date

        public init(campaignID: Int64, share: Int, until: Date) {
            self.campaignID = campaignID
            self.share = share
            self.until = until
        }
    }

    /// A correction of a published post, waiting for a second person's approval.
    public struct PendingCorrection: Sendable, Equatable {
        public let title: String
        public let body: String
        public let note: String
        public let by: String
        public let at: Date

        public init(title: String, body: String, note: String, by: String, at: Date) {
            self.title = title
            self.body = body
            self.note = note
            self.by = by
            self.at = at
        }
    }

    public let id: Int64
    public let kind: Kind
    public let incidentID: Int64?
    public let language: Language
    public let title: String
    /// Markdown (rendered through Ink, then sanitised).
    public let body: String
    public let severity: Severity?
    /// An advisory's affected products, as written.
    public let products: String?
    public let topic: GuideTopic?
    public let state: State
    /// The actor who last wrote it (`user:7`, `token:3`): whoever approves must be someone else.
    public let writtenBy: String
    public let writtenAt: Date
    public let publishAt: Date?
    public let hold: Hold?
    public let publishedBy: String?
    public let publishedAt: Date?
    /// When it is (or will be) on the public site; nil for drafts and withdrawn posts that never went out.
    public let releasedAt: Date?
    public let withdrawnAt: Date?
    /// 1, then one more for each approved correction.
    public let revision: Int
    public let correctedAt: Date?
    public let correctionNote: String?
    public let pendingCorrection: PendingCorrection?

    public init(
        id: Int64,
        kind: Kind,
        incidentID: Int64?,
        language: Language,
        title: String,
        body: String,
        severity: Severity? = nil,
        products: String? = nil,
        topic: GuideTopic? = nil,
        state: State,
        writtenBy: String,
        writtenAt: Date,
        publishAt: Date? = nil,
        hold: Hold? = nil,
        publishedBy: String?,
        publishedAt: Date?,
        releasedAt: Date? = nil,
        withdrawnAt: Date?,
        revision: Int = 1,
        correctedAt: Date? = nil,
        correctionNote: String? = nil,
        pendingCorrection: PendingCorrection? = nil
    ) {
        self.id = id
        self.kind = kind
        self.incidentID = incidentID
        self.language = language
        self.title = title
        self.body = body
        self.severity = severity
        self.products = products
        self.topic = topic
        self.state = state
        self.writtenBy = writtenBy
        self.writtenAt = writtenAt
        self.publishAt = publishAt
        self.hold = hold
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.releasedAt = releasedAt
        self.withdrawnAt = withdrawnAt
        self.revision = revision
        self.correctedAt = correctedAt
        self.correctionNote = correctionNote
        self.pendingCorrection = pendingCorrection
    }

    /// On the public site at `now`.
    public func isPublic(at now: Date) -> Bool {
        state == .published && (releasedAt.map { $0 <= now } ?? false)
    }

    /// Approved but not yet public: scheduled, or held until customers have heard.
    public func isWaiting(at now: Date) -> Bool {
        state == .published && !isPublic(at: now)
    }

    public static let titleLimit = 200
    public static let bodyLimit = 20_000
    public static let productsLimit = 500
    public static let noteLimit = 500

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
    public static let postEdit = AuditAction(rawValue: "post.edit")
    public static let postPublish = AuditAction(rawValue: "post.publish")
    public static let postRelease = AuditAction(rawValue: "post.release")
    public static let postCorrect = AuditAction(rawValue: "post.correct")
    public static let postCorrectionApprove = AuditAction(rawValue: "post.correction_approve")
    public static let postWithdraw = AuditAction(rawValue: "post.withdraw")
}
