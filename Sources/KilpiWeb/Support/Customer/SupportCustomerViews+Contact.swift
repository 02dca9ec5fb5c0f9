import Foundation
import KilpiCore
import KilpiStore

/// The contact form's pages. None of them says whether the address belongs to a customer: the code goes to any
/// plausible address and the receipt is one page for everybody.
extension SupportCustomerViews {
    /// An incident one may ask about: one that customers were notified of.
    struct ContactIncident: Sendable {
        let id: Int64
        let title: String
    }

    static func contact(
        _ view: ViewContext,
        company: String,
        incidents: [ContactIncident],
        email: String = "",
        incidentID: Int64? = nil,
        errors: [String] = []
    ) -> HTML {
        let form: HTML
        if incidents.isEmpty {
            form =
                "<p>\(view.l("There is nothing to ask about here at the moment.", "Täällä ei ole juuri nyt mitään kysyttävää."))</p>"
        } else {
            let options: [HTML] = incidents.map { incident in
                "<option value=\"\(incident.id)\"\(incident.id == incidentID ? " selected" as HTML : .empty)>\(incident.title)</option>"
            }
            form = """
                <form method="post" action="\(Routes.supportContactStart.path())" class="stack">\(view.csrfField)
                <label>\(view.l("Email address", "Sähköpostiosoite"))
                <input name="email" type="email" value="\(email)" required maxlength="254" autocomplete="email"></label>
                <label>\(view.l("What is your question about?", "Mitä kysymyksesi koskee?"))
                <select name="incident">\(options)</select></label>
                <button type="submit">\(view.l("Email me a code", "Lähetä minulle koodi"))</button>
                </form>
                """
        }
        let body: HTML = """
            <h1>\(view.l("Contact us", "Ota yhteyttä"))</h1>
            \(Layout.errors(errors))
            <p>\(view.l(
                "First we email you a six-digit code, to make sure the answer goes to you. Then you write your question.",
                "Lähetämme ensin sähköpostiisi kuusinumeroisen koodin, jotta vastaus menee varmasti sinulle. Sen jälkeen kirjoitat kysymyksesi."))</p>
            \(form)
            <p><a href="\(Routes.supportHome.path())">\(view.l("I have a reference code", "Minulla on viitekoodi"))</a></p>
            """
        return SupportLayout.page(view.l("Contact us", "Ota yhteyttä"), view, company: company, body: body)
    }

    static func contactVerify(
        _ view: ViewContext,
        company: String,
        challenge: String,
        email: String,
        text: String = "",
        errors: [String] = []
    ) -> HTML {
        let body: HTML = """
            <h1>\(view.l("Type the code we emailed you", "Kirjoita sähköpostiisi lähettämämme koodi"))</h1>
            \(Layout.errors(errors))
            <p>\(view.l(
                "We sent a six-digit code to \(email). It is valid for 15 minutes. If nothing arrives, check the spam folder or ask for a new code.",
                "Lähetimme kuusinumeroisen koodin osoitteeseen \(email). Se on voimassa 15 minuuttia. Jos mitään ei tule, katso roskapostikansio tai pyydä uusi koodi."))</p>
            <form method="post" action="\(Routes.supportContactVerify.path())" class="stack">\(view.csrfField)
            <input type="hidden" name="challenge" value="\(challenge)">
            <input type="hidden" name="email" value="\(email)">
            <label>\(view.l("Code", "Koodi"))
            <input name="code" required maxlength="12" inputmode="numeric" autocomplete="one-time-code"></label>
            <label>\(view.l("Your question", "Kysymyksesi"))
            <textarea name="text" rows="6" maxlength="\(SupportText.maximumLength)" required>\(text)</textarea></label>
            <button type="submit">\(view.l("Send my question", "Lähetä kysymys"))</button>
            </form>
            <p><a href="\(Routes.supportContact.path())">\(view.l("Ask for a new code", "Pyydä uusi koodi"))</a></p>
            """
        return SupportLayout.page(view.l("Contact us", "Ota yhteyttä"), view, company: company, body: body)
    }

    /// The same page whoever sent the question.
    static func receipt(_ view: ViewContext, company: String) -> HTML {
        let body: HTML = """
            <h1>\(view.l("Thank you, we received your question", "Kiitos, saimme kysymyksesi"))</h1>
            \(Layout.notice("ok", view.l(
                "We will answer to the email address you gave. You do not need to do anything else.",
                "Vastaamme antamaasi sähköpostiosoitteeseen. Sinun ei tarvitse tehdä muuta.")))
            <p><a href="\(Routes.supportHome.path())">\(view.l("Back to support", "Takaisin tukeen"))</a></p>
            """
        return SupportLayout.page(
            view.l("Thank you, we received your question", "Kiitos, saimme kysymyksesi"),
            view,
            company: company,
            body: body
        )
    }
}
