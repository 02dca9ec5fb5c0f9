import Foundation

/// One line of an incident's append-only timeline.
public struct TimelineEntry: Sendable, Equatable, Identifiable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// A field, role or status changed (written by Kilpi).
        case change
        case note
        /// A decision and its reason, for the post-incident review.
        case decision
        /// A playbook task was completed or reopened.
        case task
        /// A notice went to an authority, customers or card brands.
        case notice
        /// The scope (systems, window, categories) got a new version.
        case scope
    }

    /// Internal notes stay inside; public-ready ones may be quoted on the trust center.
    public enum Visibility: String, Sendable, CaseIterable, Codable {
        case `internal`
        case publicReady = "public_ready"
    }

    public let id: Int64
    public let incidentID: Int64
    /// When the entry was written.
    public let at: Date
    /// When it happened, for an entry recorded after the fact; nil means when it was written.
    public let occurredAt: Date?
    public let author: String
    public let kind: Kind
    public let visibility: Visibility
    public let text: String

    public init(
        id: Int64,
        incidentID: Int64,
        at: Date,
        author: String,
        kind: Kind,
        visibility: Visibility,
        text: String,
        occurredAt: Date? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.at = at
        self.occurredAt = occurredAt
        self.author = author
        self.kind = kind
        self.visibility = visibility
        self.text = text
    }

    public static let maximumText = 10_000

    /// When it happened: the timeline is shown in this order.
    public var happenedAt: Date { occurredAt ?? at }

    /// True when the entry was written noticeably after what it records (a minute's grace for typing).
    public var recordedLate: Bool { at.timeIntervalSince(happenedAt) > 60 }

    /// Timeline order: when things happened, then the order they were written.
    public static func chronological(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
        a.happenedAt != b.happenedAt ? a.happenedAt < b.happenedAt : a.id < b.id
    }
}
