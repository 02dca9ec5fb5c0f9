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
    /// What Kilpi recorded, for an entry Kilpi wrote; nil for a note, a decision, a notice and entries written
    /// before events were typed (their `words` hold Kilpi's English sentence).
    public let event: TimelineEvent?
    /// The person's own words: the whole of a note or decision, the reason or note that came with an event, or
    /// nothing.
    public let words: String
    /// The row holds an event this version cannot read (one written by a newer Kilpi sharing the database): it is
    /// shown as such rather than as an empty line.
    public var eventUnreadable = false

    public init(
        id: Int64,
        incidentID: Int64,
        at: Date,
        author: String,
        kind: Kind,
        visibility: Visibility,
        text: String,
        event: TimelineEvent? = nil,
        occurredAt: Date? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.at = at
        self.occurredAt = occurredAt
        self.author = author
        self.kind = kind
        self.visibility = visibility
        self.words = text
        self.event = event
    }

    /// The entry for a reader of `language`: the event in that language, followed by the person's words.
    public func text(in language: Language) -> String {
        guard let event else {
            guard eventUnreadable else { return words }
            let note = language.l(
                "(recorded by a newer version of Kilpi)",
                "(Kilpin uudemman version kirjaama merkintä)"
            )
            return words.isEmpty ? note : "\(note) — \(words)"
        }
        let rendered = event.rendered(in: language)
        return words.isEmpty ? rendered : "\(rendered) — \(words)"
    }

    /// The entry in English (`text(in: .en)`), for the API and tools.
    public var text: String { text(in: .en) }

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
