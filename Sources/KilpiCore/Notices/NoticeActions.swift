/// "What you should do now": the steps a notice asks of one customer, from their exposed categories and the
/// incident's threat kinds, most urgent first, each once. The category advice says why; these say what to do, in a
/// sentence each, so a reader who skims sees the list.
///
/// The rules follow the issue and the shipped advice: card → watch statements and call your bank; credentials →
/// change the password here and wherever it was reused; email (and phishing or social engineering) → expect
/// phishing, and we will never ask for your password or send a link to sign in. Categories an installation added
/// itself give no step of their own; a customer for whom nothing applies is told that nothing is needed now.
public enum NoticeActions {
    public static let card = LocalizedMessage.l(
        "Check your card statements closely and call your bank or card issuer straight away about any payment you do not recognise. Ask them to close the card and send you a new one.",
        "Tarkista korttitapahtumasi huolellisesti ja soita heti pankkiisi tai kortin myöntäjälle, jos näet veloituksen, jota et tunnista. Pyydä heitä sulkemaan kortti ja lähettämään sinulle uusi."
    )
    public static let bankAccount = LocalizedMessage.l(
        "Check your bank account statements for payments or direct debits you did not authorise, and tell your bank at once.",
        "Tarkista tiliotteistasi, onko tililtäsi veloitettu maksuja, joita et ole hyväksynyt, ja ilmoita niistä heti pankillesi."
    )
    public static let password = LocalizedMessage.l(
        "Change your password for our service now, and also wherever you have used the same or a similar password. Turn on two-step verification wherever it is offered.",
        "Vaihda salasanasi palveluumme heti ja myös kaikkiin muihin palveluihin, joissa olet käyttänyt samaa tai samankaltaista salasanaa. Ota kaksivaiheinen tunnistautuminen käyttöön kaikkialla, missä se on mahdollista."
    )
    public static let identity = LocalizedMessage.l(
        "Watch for invoices, debt collection letters, contracts or credit decisions in your name that you do not recognise, and report any misuse of your identity to the police.",
        "Seuraa, tuleeko nimissäsi laskuja, perintäkirjeitä, sopimuksia tai luottopäätöksiä, joita et tunnista, ja tee henkilöllisyytesi väärinkäytöstä rikosilmoitus poliisille."
    )
    public static let blackmail = LocalizedMessage.l(
        "If anyone threatens to publish your information or demands money, do not pay or reply; keep the messages and report them to the police.",
        "Jos joku uhkaa julkaista tietojasi tai vaatii rahaa, älä maksa äläkä vastaa. Tallenna viestit ja tee rikosilmoitus poliisille."
    )
    public static let safety = LocalizedMessage.l(
        "If you are worried about your safety, contact the police.",
        "Jos olet huolissasi turvallisuudestasi, ota yhteyttä poliisiin."
    )
    public static let phishing = LocalizedMessage.l(
        "Expect phishing: be suspicious of messages that seem to come from us or another company and ask you to sign in, pay or confirm your details.",
        "Varaudu tietojenkalasteluun: suhtaudu epäluuloisesti viesteihin, jotka näyttävät tulevan meiltä tai muulta yritykseltä ja pyytävät sinua kirjautumaan, maksamaan tai vahvistamaan tietojasi."
    )
    public static let neverAsk = LocalizedMessage.l(
        "We will never ask for your password or send you a link to sign in. Go to our website by typing its address yourself.",
        "Emme koskaan kysy salasanaasi emmekä lähetä linkkiä, jonka kautta pitäisi kirjautua. Mene verkkosivuillemme kirjoittamalla osoite itse."
    )
    public static let calls = LocalizedMessage.l(
        "Be wary of unexpected calls and text messages; never give passwords, card details or online banking codes over the phone.",
        "Suhtaudu varauksella odottamattomiin puheluihin ja tekstiviesteihin. Älä koskaan kerro puhelimessa salasanoja, korttitietoja tai verkkopankkitunnuksia."
    )
    public static let gaveDetails = LocalizedMessage.l(
        "If you have given your password, card details or banking codes in reply to a message or call that seemed to come from us, change your password and call your bank now.",
        "Jos olet antanut salasanasi, korttitietosi tai pankkitunnuksesi vastauksena viestiin tai puheluun, joka näytti tulevan meiltä, vaihda salasanasi ja soita pankkiisi heti."
    )
    public static let scams = LocalizedMessage.l(
        "Be wary of messages, calls and letters that quote your details to look genuine and then ask you to pay, sign in or give card details.",
        "Suhtaudu varauksella viesteihin, puheluihin ja kirjeisiin, jotka mainitsevat tietojasi näyttääkseen aidoilta ja pyytävät sitten maksamaan, kirjautumaan tai antamaan korttitietoja."
    )
    public static let nothingNeeded = LocalizedMessage.l(
        "You do not need to do anything now, but stay alert to unexpected messages.",
        "Sinun ei tarvitse tehdä nyt mitään, mutta suhtaudu edelleen varauksella odottamattomiin viesteihin."
    )

    /// The steps for a customer whose `categoryIDs` were exposed in an incident of `kinds`.
    public static func actions(categoryIDs: [String], kinds: [ThreatKind]) -> [LocalizedMessage] {
        let categories = Set(categoryIDs)
        let deceit = kinds.contains(.phishing) || kinds.contains(.socialEngineering)
        var steps: [LocalizedMessage] = []
        func add(_ step: LocalizedMessage, when condition: Bool) {
            if condition, !steps.contains(step) { steps.append(step) }
        }
        add(card, when: categories.contains("payment_card"))
        add(bankAccount, when: categories.contains("bank_account"))
        add(password, when: categories.contains("credentials"))
        add(gaveDetails, when: deceit)
        add(identity, when: !categories.isDisjoint(with: ["national_id", "identity_document"]))
        add(blackmail, when: categories.contains("health"))
        add(safety, when: categories.contains("location"))
        add(phishing, when: categories.contains("email") || deceit)
        add(neverAsk, when: !categories.isDisjoint(with: ["email", "phone", "credentials"]) || deceit)
        add(calls, when: categories.contains("phone"))
        add(
            scams,
            when: !categories.isDisjoint(with: [
                "name", "postal_address", "date_of_birth", "payment_card_last4", "order_history", "support_messages",
            ])
        )
        add(nothingNeeded, when: steps.isEmpty)
        return steps
    }
}
