import Foundation

/// A playbook step instantiated for one incident: due at a fixed time after the declaration.
public struct IncidentTask: Sendable, Equatable, Identifiable, Codable {
    public let id: Int64
    public let incidentID: Int64
    public let playbookID: String
    public let title: LocalizedText
    public let phase: PlaybookPhase
    public let owner: IncidentRole
    public let purpose: StepPurpose?
    public let checklist: [LocalizedText]
    public let dueAt: Date
    public var doneAt: Date?
    public var doneBy: String?

    public init(
        id: Int64,
        incidentID: Int64,
        playbookID: String,
        title: LocalizedText,
        phase: PlaybookPhase,
        owner: IncidentRole,
        purpose: StepPurpose?,
        checklist: [LocalizedText],
        dueAt: Date,
        doneAt: Date? = nil,
        doneBy: String? = nil
    ) {
        self.id = id
        self.incidentID = incidentID
        self.playbookID = playbookID
        self.title = title
        self.phase = phase
        self.owner = owner
        self.purpose = purpose
        self.checklist = checklist
        self.dueAt = dueAt
        self.doneAt = doneAt
        self.doneBy = doneBy
    }

    /// Open and past its due time: the dashboard and incident page make these stand out.
    public func isOverdue(at now: Date) -> Bool { doneAt == nil && dueAt < now }

    /// The tasks a set of playbooks gives an incident declared at `declaredAt` (ids are assigned when saved).
    public static func instantiate(_ playbooks: [Playbook], incidentID: Int64, declaredAt: Date) -> [IncidentTask] {
        playbooks.flatMap { playbook in
            playbook.steps.map { step in
                IncidentTask(
                    id: 0,
                    incidentID: incidentID,
                    playbookID: playbook.id,
                    title: step.title,
                    phase: step.phase,
                    owner: step.owner,
                    purpose: step.purpose,
                    checklist: step.checklist,
                    dueAt: declaredAt.addingTimeInterval(Double(step.dueAfterHours) * 3600)
                )
            }
        }
        .sorted { ($0.dueAt, $0.playbookID) < ($1.dueAt, $1.playbookID) }
    }
}

/// How fast the response was, for the post-incident review and the "learn" dashboard.
public struct ResponseMetrics: Sendable, Equatable, Codable {
    /// Occurred → detected.
    public let timeToDetect: TimeInterval?
    /// Detected → contained.
    public let timeToContain: TimeInterval?
    /// Aware → first notice sent (to anyone: authority, customers, card brands).
    public let timeToNotify: TimeInterval?
    /// Detected → resolved.
    public let timeToResolve: TimeInterval?

    public init(times: KeyTimes, firstNoticeAt: Date?) {
        func span(_ from: Date?, _ to: Date?) -> TimeInterval? {
            guard let from, let to else { return nil }
            return to.timeIntervalSince(from)
        }
        timeToDetect = span(times.occurredAt, times.detectedAt)
        timeToContain = span(times.detectedAt, times.containedAt)
        timeToNotify = span(times.awareAt, firstNoticeAt)
        timeToResolve = span(times.detectedAt, times.resolvedAt)
    }

    /// "3 d 4 h", "5 h 20 min", "12 min": precise enough for a review, short enough for a table.
    public static func format(_ interval: TimeInterval?) -> String {
        guard let interval else { return "–" }
        let minutes = Int((interval / 60).rounded())
        if minutes < 0 { return "-" + format(-interval) }
        let days = minutes / 1440
        let hours = (minutes % 1440) / 60
        let rest = minutes % 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(rest) min" }
        return "\(rest) min"
    }
}
