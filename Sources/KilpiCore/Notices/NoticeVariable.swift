/// The variables a notice template may use: the one list that documents them, that the template checker accepts
/// and that the console shows beside the editor. `NoticeContent.mustacheValue` gives each of them.
///
/// Top level:
/// - `language` — the notice's language tag (`fi`, `sv`, `en`), for `<html lang="…">`.
/// - `company_name` — the company as customers know it.
/// - `contact_email` — where to ask about the incident.
/// - `contact_url` — a public page with more information (optional).
/// - `trust_center_url` — the trust center page where a reference code can be checked.
/// - `support_url` — the customer's personal support page (`<public URL>/support/<token>`): which of their data
///   was involved, and where to ask (optional: every notice the delivery engine sends has one, a preview a sample).
/// - `support_site_url` — the support site (`<public URL>/support`), where the customer can type the reference
///   code and their email address instead of following the link.
/// - `customer_name` — the customer's name (optional: absent when unknown or erased).
/// - `incident_title`, `incident_summary` — as the response team wrote them (the summary may have several lines).
/// - `incident_kinds` — list; each item has `name` (the threat kind in the notice's language).
/// - `incident_kinds_text` — the same names as one phrase ("Phishing and Data breach").
/// - `occurred_at`, `aware_at`, `contained_at` — key times in UTC, written out ("1 December 2026 at 14:05 UTC");
///   each optional.
/// - `notice_date` — the date of the notice ("1 December 2026").
/// - `categories` — list of the customer's exposed categories, most harmful first; each item has `id`, `name`,
///   `advice` (optional), `sensitive` (flag: high or special sensitivity), `name_lang` and `advice_lang` (the
///   language the name and advice are actually in: English when a Swedish text is missing).
/// - `category_names` — the category names as one phrase ("Name, Email address and Payment card details").
/// - `actions` — list of steps for the customer ("what you should do now"); each item has `text`.
/// - `california` — flag: the customer is in California (US-CA), so the "Notice of Data Breach" headings apply.
/// - `reference_code` — the notice's reference code (`K7M4-Q2XD`).
public struct NoticeVariable: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Always present text.
        case text
        /// Text that may be absent; use it in a section to show a sentence only when it is there.
        case optionalText
        /// True or false: for `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}`.
        case flag
        /// A list, each item having the `fields`.
        case list
    }

    public let name: String
    public let kind: Kind
    /// For a list: the names an item has.
    public let fields: [NoticeVariable]
    public let meaning: LocalizedMessage

    public init(_ name: String, _ kind: Kind, _ meaning: LocalizedMessage, fields: [NoticeVariable] = []) {
        self.name = name
        self.kind = kind
        self.meaning = meaning
        self.fields = fields
    }

    /// Every variable, in the order the console lists them.
    public static let all: [NoticeVariable] = [
        NoticeVariable(
            "language",
            .text,
            .l("The notice's language tag (fi, sv, en)", "Ilmoituksen kielitunnus (fi, sv, en)")
        ),
        NoticeVariable("company_name", .text, .l("The company's name", "Yrityksen nimi")),
        NoticeVariable(
            "contact_email",
            .text,
            .l("Where to ask about the incident", "Osoite, josta voi kysyä tapahtuneesta")
        ),
        NoticeVariable(
            "contact_url",
            .optionalText,
            .l("A public page with more information", "Julkinen sivu, jolla on lisätietoa")
        ),
        NoticeVariable(
            "trust_center_url",
            .text,
            .l(
                "The trust center page where a reference code can be checked",
                "Luottamuskeskuksen sivu, jolla viitekoodin voi tarkistaa"
            )
        ),
        NoticeVariable(
            "support_url",
            .optionalText,
            .l(
                "The customer's personal support page (a link only they get)",
                "Asiakkaan henkilökohtainen tukisivu (linkki vain hänelle)"
            )
        ),
        NoticeVariable(
            "support_site_url",
            .text,
            .l(
                "The support site, where the reference code and email address open the same page",
                "Tukisivusto, jolla viitekoodi ja sähköpostiosoite avaavat saman sivun"
            )
        ),
        NoticeVariable(
            "customer_name",
            .optionalText,
            .l("The customer's name, when known", "Asiakkaan nimi, jos se tiedetään")
        ),
        NoticeVariable("incident_title", .text, .l("The incident's title", "Poikkeaman otsikko")),
        NoticeVariable("incident_summary", .text, .l("The incident's summary", "Poikkeaman yhteenveto")),
        NoticeVariable(
            "incident_kinds",
            .list,
            .l("The incident's threat kinds", "Poikkeaman uhkatyypit"),
            fields: [NoticeVariable("name", .text, .l("The threat kind", "Uhkatyyppi"))]
        ),
        NoticeVariable(
            "incident_kinds_text",
            .text,
            .l("The threat kinds as one phrase", "Uhkatyypit yhtenä ilmauksena")
        ),
        NoticeVariable("occurred_at", .optionalText, .l("When the attack began (UTC)", "Milloin hyökkäys alkoi (UTC)")),
        NoticeVariable(
            "aware_at",
            .optionalText,
            .l(
                "When we learnt that personal data was affected (UTC)",
                "Milloin saimme tietää, että henkilötietoja oli vaarassa (UTC)"
            )
        ),
        NoticeVariable(
            "contained_at",
            .optionalText,
            .l("When the attack was stopped (UTC)", "Milloin hyökkäys pysäytettiin (UTC)")
        ),
        NoticeVariable("notice_date", .text, .l("The date of the notice", "Ilmoituksen päivämäärä")),
        NoticeVariable(
            "categories",
            .list,
            .l(
                "The customer's exposed data, most harmful first",
                "Asiakkaan vaarantuneet tiedot, haitallisimmat ensin"
            ),
            fields: [
                NoticeVariable("id", .text, .l("The category's key", "Tietoluokan tunniste")),
                NoticeVariable("name", .text, .l("The category's name", "Tietoluokan nimi")),
                NoticeVariable("advice", .optionalText, .l("The category's advice", "Tietoluokan neuvo")),
                NoticeVariable(
                    "sensitive",
                    .flag,
                    .l("High or special sensitivity", "Korkea tai erityinen arkaluonteisuus")
                ),
                NoticeVariable("name_lang", .text, .l("The language of the name", "Nimen kieli")),
                NoticeVariable("advice_lang", .text, .l("The language of the advice", "Neuvon kieli")),
            ]
        ),
        NoticeVariable(
            "category_names",
            .text,
            .l("The category names as one phrase", "Tietoluokkien nimet yhtenä ilmauksena")
        ),
        NoticeVariable(
            "actions",
            .list,
            .l("What the customer should do now", "Mitä asiakkaan kannattaa tehdä nyt"),
            fields: [NoticeVariable("text", .text, .l("One step", "Yksi toimenpide"))]
        ),
        NoticeVariable(
            "california",
            .flag,
            .l("The customer is in California (US-CA)", "Asiakas asuu Kaliforniassa (US-CA)")
        ),
        NoticeVariable("reference_code", .text, .l("The notice's reference code", "Ilmoituksen viitekoodi")),
    ]

    /// The variable called `name` at the top level, or nil.
    public static func named(_ name: String) -> NoticeVariable? { all.first { $0.name == name } }
}
