import KilpiCore
import KilpiStore

/// "Is this message from us?": the code form, the answer (genuine or not, and nothing else about the notice), and
/// the guide to recognising a fake notice, which every answer carries because a genuine code proves only the code.
enum NoticeVerificationViews {
    static func page(
        _ view: ViewContext,
        company: String,
        code: String = "",
        answer: NoticeVerifier.Answer? = nil,
        retryMinutes: Int = 15
    ) -> HTML {
        let body: HTML = """
            <h1>\(view.l("Is this message from us?", "Onko tämä viesti meiltä?"))</h1>
            \(result(view, company: company, answer, retryMinutes: retryMinutes))
            <p>\(view.l(
                "After a data breach, criminals send fake notices that look like real ones. Every notice we send carries its own reference code. Type the code from the message to check whether we sent it.",
                "Tietomurron jälkeen rikolliset lähettävät väärennettyjä ilmoituksia, jotka näyttävät aidoilta. Jokaisessa lähettämässämme ilmoituksessa on oma viitekoodinsa. Kirjoita viestissä oleva koodi, niin näet, lähetimmekö sen."))</p>
            <form method="post" action="\(Routes.verifyNoticeCheck.path())" class="stack">\(view.csrfField)
            <label>\(view.l("Reference code", "Viitekoodi"))
            <input name="code" value="\(code)" required maxlength="\(NoticeVerifier.maximumInputLength)" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="K7M4-Q2XD"\(answer == .malformed ? " aria-invalid=\"true\"" as HTML : .empty)></label>
            <button type="submit">\(view.l("Check the code", "Tarkista koodi"))</button>
            </form>
            \(guide(view))
            """
        return PublicLayout.page(
            view.l("Is this message from us?", "Onko tämä viesti meiltä?"),
            view,
            company: company,
            section: view.l("Trust center", "Luottamuskeskus"),
            home: Routes.root.path(),
            bodyClass: "trust",
            body: body
        )
    }

    private static func result(
        _ view: ViewContext,
        company: String,
        _ answer: NoticeVerifier.Answer?,
        retryMinutes: Int
    ) -> HTML {
        switch answer {
        case nil:
            return .empty
        case .genuine:
            return """
                <section class="notice ok" role="status" aria-labelledby="answer">
                <h2 id="answer">\(view.l("Yes, we sent a notice with this code", "Kyllä, lähetimme ilmoituksen tällä koodilla"))</h2>
                <p>\(view.l(
                    "\(company) sent a notice that carries this reference code. Each notice has a code of its own, and a code proves only itself: if the message you have asks for your password or card details, or asks you to sign in through a link, it is not from us, whatever code it shows.",
                    "\(company) on lähettänyt ilmoituksen, jossa on tämä viitekoodi. Jokaisella ilmoituksella on oma koodinsa, ja koodi todistaa vain itsensä: jos viesti pyytää salasanaasi tai korttitietojasi tai kehottaa kirjautumaan linkin kautta, se ei ole meiltä, näytti se mitä koodia tahansa."))</p>
                <p>\(view.l(
                    "To read what our notice to you says, open your own page with the code and your email address. It opens only for the notice we sent to you.",
                    "Lukeaksesi, mitä ilmoituksemme sinulle kertoo, avaa oma sivusi koodilla ja sähköpostiosoitteellasi. Se aukeaa vain sinulle lähettämällemme ilmoitukselle."))
                <a href="\(Routes.supportHome.path())">\(view.l("Open my page", "Avaa oma sivuni"))</a></p>
                </section>
                """
        case .notOurs:
            return """
                <section class="notice error" role="alert" aria-labelledby="answer">
                <h2 id="answer">\(view.l("No, we have not sent a notice with this code", "Ei, emme ole lähettäneet ilmoitusta tällä koodilla"))</h2>
                <p>\(view.l(
                    "Check that you typed the code as it appears in the message. If it is right, the message is not from us: do not follow its links, do not open its attachments and do not reply. If you already gave a password, change it now; if you gave card details, call your bank.",
                    "Tarkista, että kirjoitit koodin niin kuin se viestissä näkyy. Jos se on oikein, viesti ei ole meiltä: älä avaa sen linkkejä tai liitteitä äläkä vastaa siihen. Jos annoit jo salasanan, vaihda se heti; jos annoit korttitietoja, soita pankkiisi."))</p>
                <p>\(view.l("Still think you should have heard from us?", "Luuletko silti, että sinun olisi pitänyt kuulla meistä?"))
                <a href="\(Routes.supportContact.path())">\(view.l("Use the contact form", "Käytä yhteydenottolomaketta"))</a></p>
                </section>
                """
        case .malformed:
            return Layout.errors([
                "\(view.l("Reference code", "Viitekoodi")): \(view.l("our codes are eight letters and digits, like K7M4-Q2XD; check what you typed", "koodimme ovat kahdeksan kirjainta ja numeroa, esimerkiksi K7M4-Q2XD; tarkista, mitä kirjoitit"))"
            ])
        case .throttled:
            return Layout.notice(
                "error",
                view.l(
                    "There have been too many checks from here lately. Please try again in \(retryMinutes) min.",
                    "Täältä on tarkistettu viime aikoina liian monta koodia. Yritä uudelleen \(retryMinutes) min kuluttua."
                )
            )
        }
    }

    /// How to tell a fake notice from ours: only what every notice of ours keeps to.
    static func guide(_ view: ViewContext) -> HTML {
        let points: [String] = [
            view.l(
                "We never ask for your password, card number or bank codes: not by email, not by phone, not by text message.",
                "Emme koskaan pyydä salasanaasi, kortin numeroa tai pankkitunnuksia: emme sähköpostilla, puhelimessa emmekä tekstiviestillä."
            ),
            view.l(
                "Our notices never ask you to sign in through a link, and carry no attachments.",
                "Ilmoituksemme eivät koskaan pyydä kirjautumaan linkin kautta, eikä niissä ole liitteitä."
            ),
            view.l(
                "The sender's name is easy to fake. Type our address into your browser yourself rather than following a link in a message.",
                "Lähettäjän nimi on helppo väärentää. Kirjoita osoitteemme selaimeen itse äläkä seuraa viestissä olevaa linkkiä."
            ),
            view.l(
                "A message that rushes you, threatens you or offers a reward for acting at once is a warning sign.",
                "Viesti, joka hoputtaa, uhkailee tai lupaa palkkion heti toimimisesta, on varoitusmerkki."
            ),
            view.l(
                "When in doubt, check the code here, or ask us through the contact form.",
                "Jos epäröit, tarkista koodi täällä tai kysy meiltä yhteydenottolomakkeella."
            ),
        ]
        let items: [HTML] = points.map { "<li>\($0)</li>" }
        return """
            <section aria-labelledby="guide">
            <h2 id="guide">\(view.l("How to recognise a fake notice", "Näin tunnistat väärennetyn ilmoituksen"))</h2>
            <ul>\(items)</ul>
            </section>
            """
    }
}
