/// How bad an incident is. The definitions are written down so two responders pick the same level.
public enum Severity: String, Sendable, CaseIterable, Codable, Comparable {
    case sev1 = "SEV1"
    case sev2 = "SEV2"
    case sev3 = "SEV3"
    case sev4 = "SEV4"

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    public var definitionEN: String {
        switch self {
        case .sev1:
            "Critical: personal data of many customers is exposed or being stolen, or a core service is down for everyone. All hands, management informed at once, legal clocks are running."
        case .sev2:
            "High: confirmed compromise of a system holding personal data, or a major service degraded for many customers. Response team working now, notifications likely."
        case .sev3:
            "Moderate: a contained compromise (one account, one device) or a suspected incident still being analysed; no confirmed customer impact yet."
        case .sev4:
            "Low: an attempt that failed or a minor policy violation; record it, learn from it, no customer impact."
        }
    }

    public var definitionFI: String {
        switch self {
        case .sev1:
            "Kriittinen: monen asiakkaan henkilötietoja on paljastunut tai varastetaan, tai keskeinen palvelu on kaikilta poissa. Kaikki mukaan, johto tietoon heti, lakisääteiset määräajat kulkevat."
        case .sev2:
            "Vakava: henkilötietoja sisältävä järjestelmä on varmasti murrettu, tai tärkeä palvelu toimii heikosti monelle asiakkaalle. Vasteryhmä töissä nyt, ilmoitukset todennäköisiä."
        case .sev3:
            "Kohtalainen: rajattu murto (yksi tili, yksi laite) tai epäilty tapaus, jota vielä selvitetään; ei vielä todettua vaikutusta asiakkaisiin."
        case .sev4:
            "Vähäinen: epäonnistunut yritys tai pieni ohjerikkomus; kirjataan ja opitaan, ei vaikutusta asiakkaisiin."
        }
    }

    /// Swedish (a first translation, awaiting native review like the Finnish).
    public var definitionSV: String {
        switch self {
        case .sev1:
            "Kritisk: personuppgifter om många kunder har röjts eller håller på att stjälas, eller en central tjänst ligger nere för alla. Alla deltar, ledningen informeras genast, de lagstadgade tidsfristerna löper."
        case .sev2:
            "Allvarlig: bekräftat intrång i ett system med personuppgifter, eller en viktig tjänst fungerar dåligt för många kunder. Incidentteamet arbetar nu, anmälningar är sannolika."
        case .sev3:
            "Måttlig: ett avgränsat intrång (ett konto, en enhet) eller en misstänkt incident som ännu analyseras; ingen bekräftad påverkan på kunderna ännu."
        case .sev4:
            "Låg: ett misslyckat försök eller en mindre överträdelse av riktlinjerna; dokumentera den och dra lärdom av den, ingen påverkan på kunderna."
        }
    }

    /// The written definition in `language`.
    public func definition(_ language: Language) -> String {
        switch language {
        case .en: definitionEN
        case .fi: definitionFI
        case .sv: definitionSV
        }
    }
}
