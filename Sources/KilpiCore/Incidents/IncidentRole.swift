/// A role in the incident-response team. Playbook steps are owned by these roles, the response plan names a
/// person for each, and each incident assigns staff to them.
public enum IncidentRole: String, Sendable, CaseIterable, Codable {
    /// Decides and is accountable; there is always exactly one.
    case commander
    /// Leads the technical investigation, containment and recovery.
    case technicalLead = "technical_lead"
    /// Owns what customers, staff and the public are told.
    case communicationsLead = "communications_lead"
    /// The data protection officer or legal counsel: notifications to authorities, legal exposure.
    case legal
    /// Runs the dedicated support channel for affected customers.
    case supportLead = "support_lead"
    /// Keeps the timeline and the decision log.
    case scribe

    public var nameEN: String {
        switch self {
        case .commander: "Incident commander"
        case .technicalLead: "Technical lead"
        case .communicationsLead: "Communications lead"
        case .legal: "Legal and privacy (DPO)"
        case .supportLead: "Customer support lead"
        case .scribe: "Scribe"
        }
    }

    public var nameFI: String {
        switch self {
        case .commander: "Tilannejohtaja"
        case .technicalLead: "Tekninen vastaava"
        case .communicationsLead: "Viestintävastaava"
        case .legal: "Lakiasiat ja tietosuoja (DPO)"
        case .supportLead: "Asiakastuen vastaava"
        case .scribe: "Kirjuri"
        }
    }

    /// Swedish (a first translation, awaiting native review like the Finnish).
    public var nameSV: String {
        switch self {
        case .commander: "Incidentledare"
        case .technicalLead: "Teknisk ansvarig"
        case .communicationsLead: "Kommunikationsansvarig"
        case .legal: "Juridik och dataskydd (dataskyddsombud)"
        case .supportLead: "Ansvarig för kundtjänsten"
        case .scribe: "Protokollförare"
        }
    }

    /// The display name in `language`.
    public func name(_ language: Language) -> String {
        switch language {
        case .en: nameEN
        case .fi: nameFI
        case .sv: nameSV
        }
    }
}
