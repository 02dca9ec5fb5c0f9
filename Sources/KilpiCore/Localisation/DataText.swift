/// Text that is company data rather than Kilpi's own messages: playbook titles, checklist items, plan-check
/// findings, data-category advice. It exists in English and Finnish; a reader of another language gets the
/// English, and `language` says so, so a page can mark it (`<span lang="en">`) for screen readers and translators.
public struct ResolvedText: Sendable, Equatable {
    public let text: String
    /// The language `text` is actually in, which is not always the one asked for.
    public let language: Language

    public init(_ text: String, _ language: Language) {
        self.text = text
        self.language = language
    }

    /// English or Finnish as asked; English for any other language (no translation exists yet).
    public static func choose(en: String, fi: String, for language: Language) -> ResolvedText {
        switch language {
        case .fi: ResolvedText(fi, .fi)
        case .en, .sv: ResolvedText(en, .en)
        }
    }
}

extension LocalizedText {
    /// This text for a reader of `language`: Swedish readers get the English until these texts carry Swedish.
    public func resolved(_ language: Language) -> ResolvedText { .choose(en: en, fi: fi, for: language) }
}

extension DataCategory {
    /// Swedish names of the shipped categories, by id (a first translation, awaiting native review).
    public static let swedishNames: [String: String] = [
        "name": "Namn",
        "email": "E-postadress",
        "phone": "Telefonnummer",
        "postal_address": "Postadress",
        "date_of_birth": "Födelsedatum",
        "national_id": "Personbeteckning",
        "identity_document": "Uppgifter i identitetshandlingar (pass, identitetskort, körkort)",
        "payment_card": "Betalkortsuppgifter (hela kortnumret)",
        "payment_card_last4": "Delvisa betalkortsuppgifter (de fyra sista siffrorna, giltighetstid)",
        "bank_account": "Bankkontonummer (IBAN)",
        "credentials": "Inloggningsuppgifter (användarnamn och lösenordshash)",
        "order_history": "Orderhistorik",
        "support_messages": "Kundtjänstmeddelanden",
        "location": "Platsuppgifter",
        "health": "Hälsouppgifter",
        "ip_address": "IP-adress",
    ]

    /// The category's name in `language`. An installation edits names in English and Finnish only, so Swedish is
    /// known for a shipped category whose English name is unchanged; any other falls back to English.
    public func name(_ language: Language) -> ResolvedText {
        switch language {
        case .en: return ResolvedText(nameEN, .en)
        case .fi: return ResolvedText(nameFI, .fi)
        case .sv:
            let shipped = Self.catalogue.first { $0.id == id }
            if let swedish = Self.swedishNames[id], shipped?.nameEN == nameEN { return ResolvedText(swedish, .sv) }
            return ResolvedText(nameEN, .en)
        }
    }

    /// The advice in `language`: company-editable text, English for a Swedish reader for now.
    public func advice(_ language: Language) -> ResolvedText { .choose(en: adviceEN, fi: adviceFI, for: language) }
}
