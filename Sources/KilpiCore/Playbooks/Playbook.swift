import Foundation

/// Text in Kilpi's languages: English and Finnish always, Swedish where it has been written. The Swedish is
/// optional so that documents and rows written before Kilpi had Swedish still decode; a Swedish reader of such a
/// text gets the English (`text(in:)`, `resolved(_:)`).
public struct LocalizedText: Sendable, Equatable, Hashable, Codable {
    public var en: String
    public var fi: String
    /// Swedish: a first translation in the shipped playbooks and plan findings, awaiting native review like the
    /// Finnish. Nil where nobody has written it (an older document, a company's own playbook).
    public var sv: String?

    public init(en: String, fi: String, sv: String? = nil) {
        self.en = en
        self.fi = fi
        self.sv = sv
    }

    /// The text for a reader of `language`; English where the Swedish is missing.
    public func text(in language: Language) -> String { resolved(language).text }
}

/// The NIST SP 800-61 phase a playbook step belongs to.
public enum PlaybookPhase: String, Sendable, CaseIterable, Codable {
    case analysis, containment, eradication, recovery
    case postIncident = "post_incident"
}

/// Why a step exists, where it matters to the plan check: the steps that win customers' trust back.
public enum StepPurpose: String, Sendable, CaseIterable, Codable {
    case customerNotice = "customer_notice"
    case apology
    case authorityNotice = "authority_notice"
    case securityHardening = "security_hardening"
    case customerEducation = "customer_education"
    case supportChannel = "support_channel"
    case publicUpdate = "public_update"
    case postIncidentReview = "post_incident_review"

    /// What every shipped playbook covers so that customers' trust can be earned back.
    public static let trustRecovery: [StepPurpose] = [
        .customerNotice, .apology, .securityHardening, .customerEducation, .supportChannel, .publicUpdate,
        .postIncidentReview,
    ]
}

/// One step of a playbook: who does what, by when (counted from the declaration), with a checklist.
public struct PlaybookStep: Sendable, Equatable, Codable {
    public var title: LocalizedText
    public var phase: PlaybookPhase
    public var owner: IncidentRole
    public var dueAfterHours: Int
    public var purpose: StepPurpose?
    public var checklist: [LocalizedText]

    public init(
        title: LocalizedText,
        phase: PlaybookPhase,
        owner: IncidentRole,
        dueAfterHours: Int,
        purpose: StepPurpose? = nil,
        checklist: [LocalizedText]
    ) {
        self.title = title
        self.phase = phase
        self.owner = owner
        self.dueAfterHours = dueAfterHours
        self.purpose = purpose
        self.checklist = checklist
    }

    enum CodingKeys: String, CodingKey {
        case title, phase, owner, purpose, checklist
        case dueAfterHours = "due_after_hours"
    }
}

/// A response playbook for one threat kind; declaring an incident of that kind turns its steps into tasks.
public struct Playbook: Sendable, Equatable, Codable, Identifiable {
    /// A slug such as `data-breach`; also the shipped file's name.
    public var id: String
    public var threatKind: ThreatKind
    public var title: LocalizedText
    /// When a person last reviewed the playbook; the plan check wants this within 12 months.
    public var reviewedOn: Date
    public var steps: [PlaybookStep]

    public init(id: String, threatKind: ThreatKind, title: LocalizedText, reviewedOn: Date, steps: [PlaybookStep]) {
        self.id = id
        self.threatKind = threatKind
        self.title = title
        self.reviewedOn = reviewedOn
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case id, title, steps
        case threatKind = "threat_kind"
        case reviewedOn = "reviewed_on"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(threatKind, forKey: .threatKind)
        try container.encode(title, forKey: .title)
        try container.encode(UTCDay.format(reviewedOn), forKey: .reviewedOn)
        try container.encode(steps, forKey: .steps)
    }

    /// The playbook as the JSON document people edit: stable key order, indented.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
