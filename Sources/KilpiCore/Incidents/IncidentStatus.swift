/// Where an incident is in its life, after the phases of NIST SP 800-61: detection and analysis, containment,
/// eradication, recovery, and closing with a post-incident review.
public enum IncidentStatus: String, Sendable, CaseIterable, Codable {
    case detected, analysing, contained, eradicated, recovered, closed
    case falsePositive = "false_positive"

    /// The working phases in order; `closed` and `falsePositive` end the incident.
    static let phases: [IncidentStatus] = [.detected, .analysing, .contained, .eradicated, .recovered]

    public var isOpen: Bool { self != .closed && self != .falsePositive }

    /// Whether an incident may move from `self` to `next`.
    ///
    /// Forward to any later working phase (a flood can be contained before anyone has analysed it); back to
    /// analysing from anywhere, because investigations learn more and closed incidents get reopened; closing
    /// only after recovery, so nobody closes an incident whose systems are still down; false positive only
    /// before containment, since a contained incident was real.
    public func canMove(to next: IncidentStatus) -> Bool {
        guard next != self else { return false }
        switch next {
        case .analysing:
            return true
        case .contained, .eradicated, .recovered:
            guard let from = Self.phases.firstIndex(of: self), let to = Self.phases.firstIndex(of: next) else {
                return false
            }
            return to > from
        case .closed:
            return self == .recovered
        case .falsePositive:
            return self == .detected || self == .analysing
        case .detected:
            return false
        }
    }

    /// The statuses reachable from here, in display order.
    public var nextOptions: [IncidentStatus] { Self.allCases.filter(canMove(to:)) }

    public var nameEN: String {
        switch self {
        case .detected: "Detected"
        case .analysing: "Analysing"
        case .contained: "Contained"
        case .eradicated: "Eradicated"
        case .recovered: "Recovered"
        case .closed: "Closed"
        case .falsePositive: "False positive"
        }
    }

    public var nameFI: String {
        switch self {
        case .detected: "Havaittu"
        case .analysing: "Selvitetään"
        case .contained: "Rajattu"
        case .eradicated: "Poistettu"
        case .recovered: "Palautettu"
        case .closed: "Suljettu"
        case .falsePositive: "Väärä hälytys"
        }
    }

    /// Swedish (a first translation, awaiting native review like the Finnish).
    public var nameSV: String {
        switch self {
        case .detected: "Upptäckt"
        case .analysing: "Analyseras"
        case .contained: "Avgränsad"
        case .eradicated: "Undanröjd"
        case .recovered: "Återställd"
        case .closed: "Stängd"
        case .falsePositive: "Falskt larm"
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
