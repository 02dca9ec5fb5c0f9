import Foundation

/// What a company system is for; it decides which data categories an import suggests for it.
public enum SystemKind: String, Sendable, CaseIterable, Codable {
    case webShop = "web_shop"
    case crm
    case paymentProcessor = "payment_processor"
    case emailMarketing = "email_marketing"
    case supportDesk = "support_desk"
    case backups
    case erp
    case analytics
    case hr
    case other

    public var nameEN: String {
        switch self {
        case .webShop: "Web shop"
        case .crm: "Customer relationship management (CRM)"
        case .paymentProcessor: "Payment processor"
        case .emailMarketing: "Email marketing"
        case .supportDesk: "Customer support desk"
        case .backups: "Backups"
        case .erp: "Enterprise resource planning (ERP)"
        case .analytics: "Analytics"
        case .hr: "Human resources (HR)"
        case .other: "Other"
        }
    }

    public var nameFI: String {
        switch self {
        case .webShop: "Verkkokauppa"
        case .crm: "Asiakkuudenhallinta (CRM)"
        case .paymentProcessor: "Maksunvälittäjä"
        case .emailMarketing: "Sähköpostimarkkinointi"
        case .supportDesk: "Asiakaspalvelujärjestelmä"
        case .backups: "Varmuuskopiot"
        case .erp: "Toiminnanohjaus (ERP)"
        case .analytics: "Analytiikka"
        case .hr: "Henkilöstöhallinto (HR)"
        case .other: "Muu"
        }
    }

    /// Swedish (a first translation, awaiting native review like the Finnish).
    public var nameSV: String {
        switch self {
        case .webShop: "Webbutik"
        case .crm: "Kundrelationshantering (CRM)"
        case .paymentProcessor: "Betalningsförmedlare"
        case .emailMarketing: "E-postmarknadsföring"
        case .supportDesk: "Kundtjänstsystem"
        case .backups: "Säkerhetskopior"
        case .erp: "Affärssystem (ERP)"
        case .analytics: "Analys"
        case .hr: "Personaladministration (HR)"
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

    /// Reads a kind as people write it in a spreadsheet: the key or either name, in any case, with spaces, hyphens
    /// or underscores between words or none ("Web shop", "web-shop", "WEB_SHOP", "webshop", "Verkkokauppa", "Webbutik").
    public init?(lenient text: String) {
        let key = Self.comparable(text)
        let matches = { (kind: SystemKind) in
            [kind.rawValue, kind.nameEN, kind.nameFI, kind.nameSV].contains { Self.comparable($0) == key }
        }
        guard let kind = Self.allCases.first(where: matches) else { return nil }
        self = kind
    }

    private static func comparable(_ text: String) -> String {
        let scalars = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().unicodeScalars
        return String(scalars.filter { $0 != " " && $0 != "-" && $0 != "_" })
    }
}
