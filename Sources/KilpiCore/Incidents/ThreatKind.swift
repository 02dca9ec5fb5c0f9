/// What kind of attack an incident is. An incident may be several at once (a phishing mail that led to a breach).
public enum ThreatKind: String, Sendable, CaseIterable, Codable {
    case phishing
    case malware
    case denialOfService = "denial_of_service"
    case socialEngineering = "social_engineering"
    case dataBreach = "data_breach"
    case other

    public var nameEN: String {
        switch self {
        case .phishing: "Phishing"
        case .malware: "Malware"
        case .denialOfService: "Denial of service"
        case .socialEngineering: "Social engineering"
        case .dataBreach: "Data breach"
        case .other: "Other"
        }
    }

    public var nameFI: String {
        switch self {
        case .phishing: "Tietojenkalastelu"
        case .malware: "Haittaohjelma"
        case .denialOfService: "Palvelunestohyökkäys"
        case .socialEngineering: "Sosiaalinen manipulointi"
        case .dataBreach: "Tietomurto"
        case .other: "Muu"
        }
    }

    /// Swedish (a first translation, awaiting native review like the Finnish).
    public var nameSV: String {
        switch self {
        case .phishing: "Nätfiske"
        case .malware: "Skadlig kod"
        case .denialOfService: "Överbelastningsattack"
        case .socialEngineering: "Social manipulation"
        case .dataBreach: "Dataintrång"
        case .other: "Annat"
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
