/// Text that is company data rather than Kilpi's own messages: playbook titles, checklist items, plan-check
/// findings, data-category advice. It exists in English and Finnish, and in Swedish where that has been written; a
/// reader of a language the text lacks gets the English, and `language` says so, so a page can mark it
/// (`<span lang="en">`) for screen readers and translators.
public struct ResolvedText: Sendable, Equatable {
    public let text: String
    /// The language `text` is actually in, which is not always the one asked for.
    public let language: Language

    public init(_ text: String, _ language: Language) {
        self.text = text
        self.language = language
    }

    /// The text in the language asked for; English when it is not there (Swedish that nobody has written, or an
    /// empty one).
    public static func choose(en: String, fi: String, sv: String? = nil, for language: Language) -> ResolvedText {
        switch language {
        case .en: ResolvedText(en, .en)
        case .fi: ResolvedText(fi, .fi)
        case .sv:
            if let sv, !sv.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                ResolvedText(sv, .sv)
            } else {
                ResolvedText(en, .en)
            }
        }
    }
}

extension LocalizedText {
    /// This text for a reader of `language`, with the language it is actually in: English for a Swedish reader
    /// where the Swedish is missing.
    public func resolved(_ language: Language) -> ResolvedText { .choose(en: en, fi: fi, sv: sv, for: language) }
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

    /// Swedish advice of the shipped categories, by id (a first translation, awaiting native review). Notices and
    /// the support portal quote it to the customer word for word, so it says no more than the English does.
    public static let swedishAdvice: [String: String] = [
        "name": """
        Enbart ditt namn är till liten nytta för brottslingar, men det kan få bedrägliga meddelanden att verka \
        mer trovärdiga. Var försiktig med oväntade meddelanden där du tilltalas med namn och ombeds öppna en \
        länk, betala eller lämna personuppgifter.
        """,
        "email": """
        Räkna med nätfiske: var misstänksam mot meddelanden som påstår sig komma från oss eller ett annat \
        företag och ber dig logga in, betala eller bekräfta dina uppgifter. Gå till vår webbplats genom att \
        själv skriva in adressen i stället för att följa länkar i meddelanden, och skicka aldrig lösenord eller \
        kortuppgifter per e-post.
        """,
        "phone": """
        Var försiktig med oväntade samtal och textmeddelanden, även om de verkar komma från oss, din bank eller \
        en myndighet. Lämna aldrig ut lösenord, nätbankskoder eller kortuppgifter per telefon; om du är osäker, \
        lägg på och ring tillbaka till ett nummer som du vet är äkta.
        """,
        "postal_address": """
        Håll utkik efter brev, fakturor eller paket som du inte har beställt, och var försiktig med post där du \
        ombeds betala eller uppdatera dina uppgifter. Om du misstänker missbruk, kontakta avsändaren och vid \
        behov polisen.
        """,
        "date_of_birth": """
        Ditt födelsedatum används ofta tillsammans med ditt namn för att kontrollera vem du är. Använd det inte \
        i lösenord eller som svar på säkerhetsfrågor, och håll utkik efter konton eller krediter som någon \
        ansöker om i ditt namn.
        """,
        "national_id": """
        Någon kan försöka ta lån eller handla på kredit i ditt namn. Håll utkik efter fakturor, inkassobrev \
        eller kreditbeslut som du inte känner igen, och överväg en kreditspärr om ditt land erbjuder en sådan \
        (i Finland ett avgiftsfritt frivilligt kreditförbud i Skatteförvaltningens positiva \
        kreditupplysningsregister). Om din identitet missbrukas, anmäl det till polisen.
        """,
        "identity_document": """
        En kopia av din identitetshandling eller dess nummer kan användas för att utge sig för att vara du, till \
        exempel för att öppna konton eller ta krediter. Håll utkik efter avtal, fakturor eller kreditbeslut som \
        du inte känner igen, och anmäl allt missbruk till polisen.
        """,
        "payment_card": """
        Granska dina korttransaktioner noga och anmäl genast betalningar som du inte känner igen till kortets \
        utgivare. Be din bank eller kortutgivaren att spärra kortet och skicka dig ett nytt.
        """,
        "payment_card_last4": """
        De här uppgifterna räcker inte för att betala med ditt kort, men de kan få bedrägliga meddelanden och \
        samtal att verka äkta. Var misstänksam mot den som nämner dem och ber om ditt fullständiga kortnummer, \
        din säkerhetskod eller dina nätbankskoder.
        """,
        "bank_account": """
        Granska dina kontoutdrag efter autogireringar eller betalningar som du inte har godkänt, och anmäl dem \
        genast till din bank. Var försiktig med fakturor och meddelanden som nämner ditt kontonummer för att \
        verka äkta.
        """,
        "credentials": """
        Byt genast ditt lösenord till vår tjänst, och överallt där du har använt samma eller ett liknande \
        lösenord. Slå på tvåstegsverifiering överallt där det erbjuds, och överväg en lösenordshanterare så att \
        varje tjänst får ett eget lösenord.
        """,
        "order_history": """
        Dina tidigare beställningar kan användas för att få bedrägliga meddelanden att verka äkta, till exempel \
        falska leverans- eller återbetalningsaviseringar. Var försiktig med meddelanden om beställningar, \
        leveranser eller återbetalningar där du ombeds betala, logga in eller lämna kortuppgifter.
        """,
        "support_messages": """
        Dina meddelanden med vår kundtjänst kan innehålla uppgifter som du har delat med oss, och de kan \
        användas för att få bedrägerier att verka äkta. Var misstänksam mot den som hänvisar till dina tidigare \
        samtal med oss och ber om lösenord, betalningar eller kortuppgifter.
        """,
        "location": """
        Platsuppgifter kan visa var du bor, arbetar eller vistas. Om du är orolig för din säkerhet, kontakta \
        polisen; du kan också se över platsinställningarna i dina appar och enheter.
        """,
        "health": """
        Hälsouppgifter är särskilt privata, och brottslingar kan använda dem för att sätta press på eller \
        utpressa människor. Om någon hotar att publicera dina uppgifter eller kräver pengar, betala inte och \
        svara inte; spara meddelandena och anmäl dem till polisen.
        """,
        "ip_address": """
        En IP-adress i sig säger lite om dig, oftast bara din ungefärliga plats och din internetleverantör. Du \
        behöver inte göra något, men var fortsatt uppmärksam på bedrägliga meddelanden.
        """,
    ]

    /// The advice in `language`. As with names, an installation edits advice in English and Finnish only, so
    /// Swedish is known for a shipped category whose English advice is unchanged; any other falls back to English.
    public func advice(_ language: Language) -> ResolvedText {
        let shipped = Self.catalogue.first { $0.id == id }
        let swedish = shipped?.adviceEN == adviceEN ? Self.swedishAdvice[id] : nil
        return .choose(en: adviceEN, fi: adviceFI, sv: swedish, for: language)
    }
}
