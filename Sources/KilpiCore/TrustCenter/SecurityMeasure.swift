import Foundation

/// One entry of the security measures register: something the company does to protect its customers' data
/// (multi-factor sign-in, encrypted backups, a yearly penetration test…), its state and when it was last
/// reviewed. A measure promised after an incident names the incident and the "strengthen security" task it came
/// from, so the promise is tracked to done; the public trust center lists a measure only once a communicator has
/// chosen to show it. Days (reviewed, due, performed) are UTC days.
public struct SecurityMeasure: Sendable, Equatable, Codable {
    public let id: Int64
    public var area: Area
    /// The language the title and summary are written in (the public page marks it with `lang`).
    public var language: Language
    public var title: String
    /// What the public reads: what the measure does for them, in plain words.
    public var summary: String
    public var status: Status
    /// The person who sees it through (a staff user's id).
    public var ownerID: Int64?
    public var dueOn: Date?
    public var lastReviewedOn: Date?
    /// When the assessment, test or exercise was last carried out.
    public var performedOn: Date?
    /// Findings of the last assessment or test, and how many of them are closed.
    public var findings: Findings?
    /// Where the proof is (a report's name, a ticket, a link). Console only, never public.
    public var evidence: String
    public var incidentID: Int64?
    public var taskID: Int64?
    /// Shown on the public trust center (set only by someone who keeps the trust center).
    public var isPublic: Bool
    public var updatedBy: String
    public var updatedAt: Date

    public init(
        id: Int64,
        area: Area,
        language: Language,
        title: String,
        summary: String,
        status: Status,
        ownerID: Int64?,
        dueOn: Date?,
        lastReviewedOn: Date?,
        performedOn: Date?,
        findings: Findings?,
        evidence: String,
        incidentID: Int64?,
        taskID: Int64?,
        isPublic: Bool,
        updatedBy: String,
        updatedAt: Date
    ) {
        self.id = id
        self.area = area
        self.language = language
        self.title = title
        self.summary = summary
        self.status = status
        self.ownerID = ownerID
        self.dueOn = dueOn
        self.lastReviewedOn = lastReviewedOn
        self.performedOn = performedOn
        self.findings = findings
        self.evidence = evidence
        self.incidentID = incidentID
        self.taskID = taskID
        self.isPublic = isPublic
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    /// What kind of protection it is: the register's sections, in the order the public page shows them.
    public enum Area: String, Sendable, CaseIterable, Codable {
        case authentication
        case encryptionAtRest = "encryption_at_rest"
        case encryptionInTransit = "encryption_in_transit"
        case networkSecurity = "network_security"
        case vulnerabilityAssessment = "vulnerability_assessment"
        case penetrationTest = "penetration_test"
        case threatDetection = "threat_detection"
        case backups
        case staffTraining = "staff_training"
        case incidentResponse = "incident_response"
        case other

        /// Areas whose entries are carried out on a day and may have findings (assessments, tests, exercises).
        public var isPerformed: Bool {
            switch self {
            case .vulnerabilityAssessment, .penetrationTest, .incidentResponse, .staffTraining: true
            default: false
            }
        }

        public func name(_ language: Language) -> String {
            let pair: (en: String, fi: String) =
                switch self {
                case .authentication: ("Authentication", "Tunnistautuminen")
                case .encryptionAtRest: ("Encryption at rest", "Tallennettujen tietojen salaus")
                case .encryptionInTransit: ("Encryption in transit", "Siirrettävien tietojen salaus")
                case .networkSecurity: ("Network security", "Verkon suojaus")
                case .vulnerabilityAssessment: ("Vulnerability assessments", "Haavoittuvuusarvioinnit")
                case .penetrationTest: ("Penetration tests", "Tunkeutumistestaus")
                case .threatDetection: ("Threat detection", "Uhkien havaitseminen")
                case .backups: ("Backups", "Varmuuskopiot")
                case .staffTraining: ("Staff training", "Henkilöstön koulutus")
                case .incidentResponse: ("Incident response plan", "Poikkeamien hallintasuunnitelma")
                case .other: ("Other measures", "Muut toimet")
                }
            return MessageCatalogue.text(en: pair.en, fi: pair.fi, language)
        }
    }

    public enum Status: String, Sendable, CaseIterable, Codable {
        case planned
        case inProgress = "in_progress"
        case inPlace = "in_place"

        public func name(_ language: Language) -> String {
            let pair: (en: String, fi: String) =
                switch self {
                case .planned: ("Planned", "Suunniteltu")
                case .inProgress: ("In progress", "Käynnissä")
                case .inPlace: ("In place", "Käytössä")
                }
            return MessageCatalogue.text(en: pair.en, fi: pair.fi, language)
        }
    }

    public struct Findings: Sendable, Equatable, Codable {
        public var total: Int
        public var closed: Int

        public init(total: Int, closed: Int) {
            self.total = total
            self.closed = closed
        }
    }

    /// Not in place and past its due day: the register makes these stand out.
    public func isOverdue(now: Date) -> Bool {
        guard status != .inPlace, let dueOn else { return false }
        return Certificate.day(of: now) > dueOn
    }
}

extension AuditAction {
    public static let measureCreate = AuditAction(rawValue: "measure.create")
    public static let measureUpdate = AuditAction(rawValue: "measure.update")
    public static let measureShow = AuditAction(rawValue: "measure.show")
    public static let measureHide = AuditAction(rawValue: "measure.hide")
}
