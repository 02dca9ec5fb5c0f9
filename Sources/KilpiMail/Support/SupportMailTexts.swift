import KilpiCore

/// The words of support mails in each language. `{company}`, `{name}`, `{url}`, `{code}` and `{minutes}` are
/// filled in before the Mustache templates escape the result for HTML.
struct SupportMailTexts: Sendable {
    let replySubject: String
    let replySubjectWithCode: String
    let greeting: String
    let greetingWithName: String
    let replyIntro: String
    let threadWithCode: String
    let threadWithoutCode: String
    let codeSubject: String
    let codeIntro: String
    let codeLifetime: String
    let codeIgnore: String
    let safety: String
    let signature: String

    static func texts(_ language: Language) -> SupportMailTexts {
        switch language {
        case .fi: finnish
        case .sv: swedish
        default: english
        }
    }

    static let english = SupportMailTexts(
        replySubject: "{company}: a reply to your question",
        replySubjectWithCode: "{company}: a reply to your question (reference {code})",
        greeting: "Hello,",
        greetingWithName: "Hello {name},",
        replyIntro: "We have answered your question:",
        threadWithCode:
            "You can read the whole conversation and write back on our support site: go to {url} and type your reference code {code} and your email address there.",
        threadWithoutCode: "To ask more, use the contact form on our support site: {url}",
        codeSubject: "{company}: your verification code",
        codeIntro: "Your code for the contact form on {url} is:",
        codeLifetime: "It works once, for the next {minutes} minutes.",
        codeIgnore: "If you did not ask for this code, you can ignore this message: nothing happens without it.",
        safety:
            "We never send sign-in links and never ask for your password. Type the support site's address yourself rather than following a link.",
        signature: "{company}, customer support"
    )

    static let finnish = SupportMailTexts(
        replySubject: "{company}: vastaus kysymykseesi",
        replySubjectWithCode: "{company}: vastaus kysymykseesi (viite {code})",
        greeting: "Hei,",
        greetingWithName: "Hei {name},",
        replyIntro: "Olemme vastanneet kysymykseesi:",
        threadWithCode:
            "Koko keskustelun voit lukea ja siihen voit vastata tukisivustollamme: mene osoitteeseen {url} ja kirjoita sinne viitekoodisi {code} ja sähköpostiosoitteesi.",
        threadWithoutCode: "Jos haluat kysyä lisää, käytä tukisivustomme yhteydenottolomaketta: {url}",
        codeSubject: "{company}: vahvistuskoodisi",
        codeIntro: "Koodisi yhteydenottolomakkeeseen osoitteessa {url} on:",
        codeLifetime: "Koodi toimii kerran ja on voimassa {minutes} minuuttia.",
        codeIgnore: "Jos et pyytänyt koodia, voit jättää tämän viestin huomiotta: ilman koodia mitään ei tapahdu.",
        safety:
            "Emme koskaan lähetä kirjautumislinkkejä emmekä kysy salasanaasi. Kirjoita tukisivuston osoite itse äläkä seuraa linkkiä.",
        signature: "{company}, asiakastuki"
    )

    static let swedish = SupportMailTexts(
        replySubject: "{company}: svar på din fråga",
        replySubjectWithCode: "{company}: svar på din fråga (referens {code})",
        greeting: "Hej,",
        greetingWithName: "Hej {name},",
        replyIntro: "Vi har svarat på din fråga:",
        threadWithCode:
            "Hela samtalet kan du läsa och svara på via vår supportwebbplats: gå till {url} och skriv in din referenskod {code} och din e-postadress där.",
        threadWithoutCode: "Vill du fråga mer, använd kontaktformuläret på vår supportwebbplats: {url}",
        codeSubject: "{company}: din verifieringskod",
        codeIntro: "Din kod för kontaktformuläret på {url} är:",
        codeLifetime: "Koden fungerar en gång och gäller i {minutes} minuter.",
        codeIgnore: "Om du inte bad om koden kan du bortse från det här meddelandet: utan koden händer ingenting.",
        safety:
            "Vi skickar aldrig inloggningslänkar och frågar aldrig efter ditt lösenord. Skriv supportwebbplatsens adress själv i stället för att följa en länk.",
        signature: "{company}, kundtjänst"
    )
}

extension String {
    /// `self` with each `{key}` replaced by its value (values are not searched again).
    func filled(_ values: [String: String]) -> String {
        var result = ""
        var rest = self[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let key = String(rest[rest.index(after: open)..<close])
            result += rest[..<open]
            if let value = values[key] {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
