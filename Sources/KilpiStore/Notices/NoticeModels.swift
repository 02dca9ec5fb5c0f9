import Foundation
import KilpiCore

/// One saved version of a notice template for one (key, language). A new version is always a draft; it can be
/// sent only once someone other than its creator approved it.
public struct NoticeTemplateVersion: Sendable, Equatable {
    public let id: Int64
    /// A `ThreatKind` raw value, or `general` for the template every kind falls back to.
    public let key: String
    public let language: Language
    /// 1, 2, … per (key, language).
    public let version: Int
    public let text: NoticeTemplateText
    public let createdBy: String
    public let createdAt: Date
    public let approvedBy: String?
    public let approvedAt: Date?

    public var isApproved: Bool { approvedAt != nil }

    /// The key every threat kind falls back to.
    public static let generalKey = "general"
    /// `general` and every threat kind's raw value.
    public static let keys: [String] = [generalKey] + ThreatKind.allCases.map(\.rawValue)
}

/// How fast and how carefully a campaign is delivered.
public struct NoticeCampaignSettings: Sendable, Equatable, Codable {
    /// Messages per second over every worker (global).
    public var ratePerSecond: Double
    /// SMTP connections at once.
    public var concurrency: Int
    /// The share of attempted notices that may end bounced or failed before the campaign pauses itself
    /// (checked once at least `NoticeCampaignSettings.minimumSample` notices have ended); 0 turns it off.
    public var errorThreshold: Double

    public init(ratePerSecond: Double = 100, concurrency: Int = 4, errorThreshold: Double = 0.2) {
        self.ratePerSecond = ratePerSecond
        self.concurrency = concurrency
        self.errorThreshold = errorThreshold
    }

    public static let minimumSample = 20

    /// Each problem names its field.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !(ratePerSecond > 0 && ratePerSecond <= 100_000) {
            problems.append(
                FieldProblem("rate", .l("must be more than 0 and at most 100000", "oltava yli 0 ja enintään 100000"))
            )
        }
        if !(1...256).contains(concurrency) {
            problems.append(
                FieldProblem("concurrency", .l("must be from 1 to 256", "oltava välillä 1–256"))
            )
        }
        if !(errorThreshold >= 0 && errorThreshold <= 1) {
            problems.append(
                FieldProblem("error_threshold", .l("must be from 0 to 1", "oltava välillä 0–1"))
            )
        }
        return problems
    }
}

/// A campaign: one notice per affected customer of a scope version (or of a follow-up audience).
public struct NoticeCampaign: Sendable, Equatable {
    public let id: Int64
    public let incidentID: Int64
    public let scopeVersionID: Int64
    public let audience: NoticeAudience
    public let followUpOf: Int64?
    public let templateKey: String
    /// The approved template version pinned per language; English is always there.
    public let templates: [Language: Int64]
    public let state: NoticeCampaignState
    public let settings: NoticeCampaignSettings
    /// Outbox rows (skipped ones included).
    public let recipients: Int
    public let skipped: Int
    /// Customers who get English because their own language has no approved template.
    public let englishFallback: Int
    public let createdBy: String
    public let createdAt: Date
    public let startedAt: Date?
    public let completedAt: Date?
    /// What the campaign's notices say about the incident, frozen when it was made (so an edit to the incident
    /// afterwards does not go out unreviewed). Nil for a campaign made before migration 18: its notices read the
    /// live incident.
    public let incidentContent: NoticeIncidentContent?

    /// The incident as this campaign's notices (and their previews) tell it: `incident` with the frozen fields in
    /// place of its own when the campaign has them, else `incident` as it is now.
    public func incidentAsNoticed(_ incident: Incident) -> Incident {
        incidentContent?.applied(to: incident) ?? incident
    }
}

/// Exactly the incident fields `NoticeContent.build` shows a customer (title, summary, threat kinds, and when it
/// occurred, when we became aware, when it was contained), as a campaign froze them at its creation. Stored as
/// JSON in `notice_campaigns.incident_content`; times in epoch milliseconds, like every time in the store.
public struct NoticeIncidentContent: Sendable, Equatable, Codable {
    public let title: String
    public let summary: String
    public let kinds: [ThreatKind]
    public let occurredAt: Date?
    public let awareAt: Date?
    public let containedAt: Date?

    public init(
        title: String,
        summary: String,
        kinds: [ThreatKind],
        occurredAt: Date?,
        awareAt: Date?,
        containedAt: Date?
    ) {
        self.title = title
        self.summary = summary
        self.kinds = kinds
        self.occurredAt = occurredAt
        self.awareAt = awareAt
        self.containedAt = containedAt
    }

    /// The fields of `incident` that a notice shows.
    public init(_ incident: Incident) {
        self.init(
            title: incident.title,
            summary: incident.summary,
            kinds: incident.kinds,
            occurredAt: incident.times.occurredAt,
            awareAt: incident.times.awareAt,
            containedAt: incident.times.containedAt
        )
    }

    /// `incident` with these fields in place of its own; everything a notice does not show stays as it is.
    public func applied(to incident: Incident) -> Incident {
        var frozen = incident
        frozen.title = title
        frozen.summary = summary
        frozen.kinds = kinds
        frozen.times.occurredAt = occurredAt
        frozen.times.awareAt = awareAt
        frozen.times.containedAt = containedAt
        return frozen
    }

    private enum CodingKeys: String, CodingKey {
        case title, summary, kinds
        case occurredAt = "occurred_at"
        case awareAt = "aware_at"
        case containedAt = "contained_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func time(_ key: CodingKeys) throws -> Date? {
            try container.decodeIfPresent(Int64.self, forKey: key).map(Date.init(epochMilliseconds:))
        }
        self.init(
            title: try container.decode(String.self, forKey: .title),
            summary: try container.decode(String.self, forKey: .summary),
            // A kind a later version no longer knows is left out rather than making the campaign unreadable.
            kinds: try container.decode([String].self, forKey: .kinds).compactMap(ThreatKind.init(rawValue:)),
            occurredAt: try time(.occurredAt),
            awareAt: try time(.awareAt),
            containedAt: try time(.containedAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(summary, forKey: .summary)
        try container.encode(kinds.map(\.rawValue), forKey: .kinds)
        try container.encodeIfPresent(occurredAt?.epochMilliseconds, forKey: .occurredAt)
        try container.encodeIfPresent(awareAt?.epochMilliseconds, forKey: .awareAt)
        try container.encodeIfPresent(containedAt?.epochMilliseconds, forKey: .containedAt)
    }

    /// The JSON stored in `notice_campaigns.incident_content` (keys sorted, so equal content is equal text).
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The content stored as `json`; nil for nil (a campaign made before the content was frozen).
    static func decoded(_ json: String?) throws -> NoticeIncidentContent? {
        guard let json else { return nil }
        return try JSONDecoder().decode(NoticeIncidentContent.self, from: Data(json.utf8))
    }
}

/// Why a customer gets no email notice (listed by `unreachable` for the letter shop).
public enum NoticeSkipReason: String, Sendable, Codable, CaseIterable {
    case noEmail = "no_email"
    case erased
}

/// A notice a worker has leased to send: everything it needs besides the customer's address and name (which it
/// opens from the customer row) and the template (by `templateVersionID`).
public struct OutboxClaim: Sendable, Equatable {
    public let rowID: Int64
    /// The outbox id (`OutboxID` in KilpiMail): a lowercase UUID.
    public let noticeKey: String
    public let campaignID: Int64
    public let customerID: Int64
    public let language: Language
    public let templateVersionID: Int64
    /// The customer's exposed category ids, from the snapshot.
    public let categories: [String]
    /// Attempts including this one.
    public let attempts: Int
    /// The reference code, opened (`K7M4-Q2XD`).
    public let referenceCode: String
}

/// What became of one claimed notice.
public enum OutboxResult: Sendable, Equatable {
    /// Accepted by the SMTP server.
    case sent(reply: String, messageID: String)
    /// Try again at `retryAt` (4xx, connection lost).
    case deferred(reply: String, retryAt: Date)
    /// Refused for good (5xx).
    case bounced(reply: String)
    /// Given up for a reason of Kilpi's own (no template, address unusable…).
    case failed(reason: String)
    /// Not attempted (the worker stopped first): back to the queue at once, the attempt not counted.
    case released
}

/// One outbox row as the console and API list it. No personal data: the customer is an id.
public struct OutboxRow: Sendable, Equatable {
    public let id: Int64
    public let noticeKey: String
    public let campaignID: Int64
    public let customerID: Int64
    public let language: Language
    public let englishFallback: Bool
    public let templateVersionID: Int64
    public let categories: [String]
    public let state: OutboxState
    public let attempts: Int
    public let nextAttemptAt: Date?
    public let lastReply: String?
    public let messageID: String?
    public let skipReason: NoticeSkipReason?
    public let queuedAt: Date
    public let firstAttemptAt: Date?
    public let sentAt: Date?
    public let updatedAt: Date
}

/// A campaign's figures for the progress bar.
public struct CampaignProgress: Sendable, Equatable {
    public let campaignID: Int64
    public let state: NoticeCampaignState
    /// Rows per outbox state (every state present, zero when none).
    public let counts: [OutboxState: Int]
    public let total: Int
    public let englishFallback: Int
    /// Notices accepted in the last minute, per second.
    public let recentRate: Double
    /// Seconds until every row is final at `recentRate`; nil when nothing is moving or nothing is left.
    public let estimatedSecondsLeft: Double?

    /// Rows not yet final.
    public var remaining: Int { counts.filter { !$0.key.isFinal }.values.reduce(0, +) }
}

/// Time from becoming aware of the incident to the SMTP server accepting the notice.
public struct TimeToNotify: Sendable, Equatable {
    /// Notices sent.
    public let count: Int
    public let p50: TimeInterval?
    public let p90: TimeInterval?
    public let max: TimeInterval?
    /// When the incident has no "became aware" time, the campaign's creation is the start instead.
    public let measuredFrom: Date?
}

/// One customer's time to notify.
public struct CustomerTimeToNotify: Sendable, Equatable {
    public let customerID: Int64
    public let seconds: TimeInterval
}

/// Why a notices operation was refused. Messages are safe to show: they carry no personal data.
public struct NoticeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [FieldProblem]
    public let isNotFound: Bool

    init(_ problems: [FieldProblem], notFound: Bool = false) {
        self.problems = problems
        self.isNotFound = notFound
    }

    static func invalid(_ field: String, _ message: LocalizedMessage) -> NoticeError {
        NoticeError([FieldProblem(field, message)])
    }

    static func campaignNotFound(_ id: Int64) -> NoticeError {
        NoticeError(
            [FieldProblem("campaign", .l("campaign \(id) does not exist", "kampanjaa \(id) ei ole"))],
            notFound: true
        )
    }

    static func templateNotFound(_ id: Int64) -> NoticeError {
        NoticeError(
            [FieldProblem("template", .l("template version \(id) does not exist", "pohjan versiota \(id) ei ole"))],
            notFound: true
        )
    }

    public var message: String { message(in: .en) }
    public func message(in language: Language) -> String {
        problems.map { $0.description(in: language) }.joined(separator: "; ")
    }
    public var description: String { message }
}

/// SMTP replies and failure reasons as stored: an email address the server echoed (`550 5.1.1 <a@b.fi>: no such
/// user`) becomes `[address]`, control characters become spaces, and at most 500 characters are kept.
public enum NoticeReplyText {
    public static let maximumLength = 500

    public static func sanitized(_ reply: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in reply.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        let cleaned = String(scalars)
        let words = cleaned.split(separator: " ", omittingEmptySubsequences: false).map { word -> Substring in
            guard let at = word.firstIndex(of: "@"), at != word.startIndex, word.index(after: at) != word.endIndex
            else { return word }
            // Keep the punctuation around an address (`<…>:`) so the reply still reads.
            let leading = word.prefix { "<([\"'".contains($0) }
            let trailing = word.reversed().prefix { ">)],;:.\"'".contains($0) }
            return Substring(String(leading) + "[address]" + String(trailing.reversed()))
        }
        return String(words.joined(separator: " ").prefix(maximumLength))
    }
}
