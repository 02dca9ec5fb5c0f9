import Foundation
import KilpiCore
import KilpiMarkdown
import KilpiStore

/// Markup of the customers' pages. Every value from the company or a customer goes in through `HTML`'s escaping
/// interpolation (or `SupportLayout.text` for multi-line text).
enum SupportCustomerViews {
    /// Where the page's forms post.
    struct Actions: Sendable {
        let question: String
        let message: @Sendable (Int64) -> String
        /// The button that forgets the page on this device (opened by code only).
        let leave: String?
    }

    /// A message typed into one of the page's forms that was refused, shown again with the reason.
    struct Draft: Sendable {
        /// Nil for a new question, else the inquiry written in.
        let inquiryID: Int64?
        let text: String
        let errors: [String]
    }

    // MARK: The way in

    static func home(
        _ view: ViewContext,
        company: String,
        code: String = "",
        email: String = "",
        notice: HTML = .empty,
        errors: [String] = []
    ) -> HTML {
        let body: HTML = """
            <h1>\(view.l("Questions about our notice", "Kysymyksiä ilmoituksestamme"))</h1>
            \(notice)
            \(Layout.errors(errors))
            <p>\(view.l(
                "Type the reference code from the notice we sent you and your email address to open your own page: what happened, which of your data were involved and what you can do.",
                "Kirjoita lähettämämme ilmoituksen viitekoodi ja sähköpostiosoitteesi, niin pääset omalle sivullesi: mitä tapahtui, mitä tietojasi asia koski ja mitä voit tehdä."))</p>
            \(codeForm(view, code: code, email: email))
            <p>\(view.l("No code, or no notice from us?", "Eikö sinulla ole koodia tai ilmoitusta?"))
            <a href="\(Routes.supportContact.path())">\(view.l("Use the contact form", "Käytä yhteydenottolomaketta"))</a></p>
            <p>\(view.l("Not sure a message is really from us?", "Etkö ole varma, onko viesti todella meiltä?"))
            <a href="\(Routes.verifyNotice.path())">\(view.l("Check its reference code", "Tarkista sen viitekoodi"))</a></p>
            """
        return SupportLayout.page(view.l("Support", "Tuki"), view, company: company, body: body)
    }

    static func codeForm(_ view: ViewContext, code: String = "", email: String = "") -> HTML {
        """
        <form method="post" action="\(Routes.supportOpen.path())" class="stack">\(view.csrfField)
        <label>\(view.l("Reference code", "Viitekoodi"))
        <input name="code" value="\(code)" required maxlength="40" autocomplete="off" autocapitalize="characters" placeholder="K7M4-Q2XD"></label>
        <label>\(view.l("Email address", "Sähköpostiosoite"))
        <input name="email" type="email" value="\(email)" required maxlength="254" autocomplete="email"></label>
        <button type="submit">\(view.l("Open my page", "Avaa oma sivuni"))</button>
        </form>
        """
    }

    /// The kind page for a link or code that opens nothing, saying how to get in another way.
    static func refusal(_ view: ViewContext, company: String, _ refusal: SupportRefusal, byCode: Bool) -> HTML {
        let (title, reason): (String, String) =
            switch refusal {
            case .unknown:
                byCode
                    ? (
                        view.l("We could not open your page", "Emme voineet avata sivuasi"),
                        view.l(
                            "The reference code and the email address do not open a page together. Check both (the code is in the notice we sent you) and try again.",
                            "Viitekoodi ja sähköpostiosoite eivät yhdessä avaa sivua. Tarkista molemmat (koodi on lähettämässämme ilmoituksessa) ja yritä uudelleen."
                        )
                    )
                    : (
                        view.l("This link does not open a page", "Tämä linkki ei avaa sivua"),
                        view.l(
                            "The link may have been copied incompletely.",
                            "Linkki on ehkä kopioitunut vajaana."
                        )
                    )
            case .expired:
                (
                    view.l("This link has expired", "Tämä linkki on vanhentunut"),
                    view.l(
                        "Personal links work for a limited time, to keep your page safe.",
                        "Henkilökohtaiset linkit toimivat rajoitetun ajan, jotta sivusi pysyy turvassa."
                    )
                )
            case .revoked:
                (
                    view.l("This link no longer works", "Tämä linkki ei enää toimi"),
                    view.l(
                        "We have withdrawn this link, for example because a notice may have reached the wrong person.",
                        "Olemme peruneet tämän linkin, esimerkiksi koska ilmoitus on voinut päätyä väärälle henkilölle."
                    )
                )
            case .throttled:
                (
                    view.l("Too many attempts", "Liian monta yritystä"),
                    view.l(
                        "There have been too many attempts from here lately. Please wait 15 minutes and try again.",
                        "Täältä on yritetty viime aikoina liian monta kertaa. Odota 15 minuuttia ja yritä uudelleen."
                    )
                )
            }
        let body: HTML = """
            <h1>\(title)</h1>
            \(Layout.notice(refusal == .throttled ? "error" : "info", reason))
            <h2>\(view.l("How to get to your page", "Näin pääset sivullesi"))</h2>
            <p>\(view.l(
                "Type the reference code from your notice and your email address here:",
                "Kirjoita ilmoituksesi viitekoodi ja sähköpostiosoitteesi tähän:"))</p>
            \(codeForm(view))
            <p>\(view.l(
                "If you have no code, or it does not work, write to us with the contact form: we answer by email.",
                "Jos sinulla ei ole koodia tai se ei toimi, kirjoita meille yhteydenottolomakkeella: vastaamme sähköpostitse."))
            <a href="\(Routes.supportContact.path())">\(view.l("Use the contact form", "Käytä yhteydenottolomaketta"))</a></p>
            """
        return SupportLayout.page(title, view, company: company, body: body)
    }

    // MARK: The personal page

    static func personal(
        _ view: ViewContext,
        _ model: SupportPageModel,
        company: String,
        actions: Actions,
        asked: Bool = false,
        draft: Draft? = nil
    ) -> HTML {
        let content = model.content
        let language = view.language
        let greeting: HTML =
            model.firstName.map { "<p class=\"lead\">\(view.l("Hello \($0),", "Hei \($0),"))</p>" } ?? .empty
        var times: [HTML] = []
        if let occurred = content.occurredAt {
            times.append(
                "<li>\(view.l("It happened", "Tapahtui")): \(NoticeDate.day(occurred, language)) \(NoticeDate.time(occurred, language))</li>"
            )
        }
        if let aware = content.awareAt {
            times.append(
                "<li>\(view.l("We learned of it", "Saimme tiedon")): \(NoticeDate.day(aware, language)) \(NoticeDate.time(aware, language))</li>"
            )
        }
        let kinds = content.kinds.map { $0.name(language) }.joined(separator: ", ")
        let categories: [HTML] = content.categories.map { category in
            """
            <li class="category" data-category="\(category.id)"><h3>\(view.text(category.name))</h3>
            \(category.advice.text.isEmpty ? HTML.empty : "<p>\(category.advice.language == language ? SupportLayout.text(category.advice.text) : "<span lang=\"\(category.advice.language.tag)\">\(SupportLayout.text(category.advice.text))</span>" as HTML)</p>" as HTML)</li>
            """
        }
        let doing: HTML =
            content.containedAt.map {
                "<p>\(view.l("We stopped the incident on", "Saimme tapauksen hallintaan")) \(NoticeDate.day($0, language)) \(NoticeDate.time($0, language)).</p>"
            }
            ?? "<p>\(view.l("We are still working to stop the incident.", "Työskentelemme yhä tapauksen pysäyttämiseksi."))</p>"
        let actionItems: [HTML] = content.actions.map { "<li>\($0.text(language))</li>" }
        let body: HTML = """
            \(greeting)
            <h1>\(content.incidentTitle)</h1>
            \(asked ? Layout.notice("ok", view.l("Thank you: we received your message and will answer here and by email.", "Kiitos: saimme viestisi ja vastaamme täällä ja sähköpostitse.")) : .empty)
            <section aria-labelledby="what">
            <h2 id="what">\(view.l("What happened", "Mitä tapahtui"))</h2>
            <p>\(SupportLayout.text(content.incidentSummary))</p>
            \(kinds.isEmpty ? HTML.empty : "<p>\(kinds)</p>" as HTML)
            \(times.isEmpty ? HTML.empty : "<ul>\(times)</ul>" as HTML)
            </section>
            <section aria-labelledby="data">
            <h2 id="data">\(view.l("Which of your data were involved", "Mitä tietojasi asia koski"))</h2>
            <ul class="categories">\(categories)</ul>
            </section>
            <section aria-labelledby="doing">
            <h2 id="doing">\(view.l("What we are doing", "Mitä teemme"))</h2>
            \(doing)
            </section>
            \(actionItems.isEmpty ? HTML.empty : """
                <section aria-labelledby="todo"><h2 id="todo">\(view.l("What you should do now", "Mitä sinun kannattaa tehdä nyt"))</h2>
                <ol>\(actionItems)</ol></section>
                """ as HTML)
            \(updates(view, model.updates))
            \(faq(view, model.faq))
            \(questions(view, model, actions: actions, draft: draft))
            \(actions.leave.map { leave in """
                <form method="post" action="\(leave)" class="inline">\(view.csrfField)
                <button type="submit" class="link">\(view.l("Close my page on this device", "Sulje sivuni tällä laitteella"))</button></form>
                """ as HTML } ?? .empty)
            """
        return SupportLayout.page(content.incidentTitle, view, company: company, body: body)
    }

    private static func updates(_ view: ViewContext, _ posts: [PublicPost]) -> HTML {
        let items: [HTML] = posts.map { post in
            // The day it became readable (a held or scheduled post's release), not the day it was approved.
            let when = (post.releasedAt ?? post.publishedAt).map { NoticeDate.day($0, view.language) } ?? ""
            let lang: HTML = post.language == view.language ? .empty : " lang=\"\(post.language.tag)\""
            return """
                <article class="update"\(lang)><h3>\(post.title)</h3><p class="meta">\(when)</p>
                <div class="markdown">\(HTML(unsafeRaw: PublicMarkdown.html(post.body)))</div></article>
                """
        }
        return """
            <section aria-labelledby="updates">
            <h2 id="updates">\(view.l("Updates", "Tiedotteet"))</h2>
            \(items.isEmpty ? "<p>\(view.l("No updates yet. We will post them here.", "Ei vielä tiedotteita. Julkaisemme ne tällä sivulla."))</p>" as HTML : items.joined())
            </section>
            """
    }

    private static func faq(_ view: ViewContext, _ entries: [SupportFAQEntry]) -> HTML {
        guard !entries.isEmpty else { return .empty }
        let items: [HTML] = entries.map { entry in
            "<details><summary>\(entry.question)</summary><p>\(SupportLayout.text(entry.answer))</p></details>"
        }
        return """
            <section aria-labelledby="faq"><h2 id="faq">\(view.l("Frequently asked questions", "Usein kysyttyä"))</h2>
            \(items)</section>
            """
    }

    private static func questions(
        _ view: ViewContext,
        _ model: SupportPageModel,
        actions: Actions,
        draft: Draft?
    ) -> HTML {
        let threads: [HTML] = model.threads.map { thread in
            let messages: [HTML] = thread.messages.filter { $0.kind != .note }.map { message in
                let who =
                    message.kind == .customer
                    ? view.l("You", "Sinä") : view.l("Our support team", "Tukitiimimme")
                return """
                    <li class="message \(message.kind.rawValue)"><p class="meta">\(who) · \(NoticeDate.day(message.createdAt, view.language)) \(NoticeDate.time(message.createdAt, view.language))</p>
                    <p>\(SupportLayout.text(message.text))</p></li>
                    """
            }
            let id = thread.inquiry.id
            let own = draft?.inquiryID == id ? draft : nil
            return """
                <article class="inquiry" id="inquiry-\(id)">
                <h3>\(view.l("Your question of", "Kysymyksesi")) \(NoticeDate.day(thread.inquiry.createdAt, view.language)) · \(statusName(thread.inquiry.status, view))</h3>
                <ol class="thread">\(messages)</ol>
                <form method="post" action="\(actions.message(id))" class="stack">\(view.csrfField)
                \(Layout.errors(own?.errors ?? []))
                <label>\(view.l("Write again", "Kirjoita lisää"))
                <textarea name="text" rows="4" maxlength="\(SupportText.maximumLength)" required>\(own?.text ?? "")</textarea></label>
                <button type="submit">\(view.l("Send", "Lähetä"))</button>
                </form>
                </article>
                """
        }
        let fresh = draft?.inquiryID == nil ? draft : nil
        return """
            <section aria-labelledby="ask">
            <h2 id="ask">\(view.l("Ask us", "Kysy meiltä"))</h2>
            <form method="post" action="\(actions.question)" class="stack" id="question">\(view.csrfField)
            \(Layout.errors(fresh?.errors ?? []))
            <label>\(view.l("Your question", "Kysymyksesi"))
            <textarea name="text" rows="6" maxlength="\(SupportText.maximumLength)" required>\(fresh?.text ?? "")</textarea></label>
            <p class="hint">\(view.l("We answer here and by email. Please do not send passwords or card numbers.", "Vastaamme täällä ja sähköpostitse. Älä lähetä salasanoja tai korttinumeroita."))</p>
            <button type="submit">\(view.l("Send my question", "Lähetä kysymys"))</button>
            </form>
            \(threads.isEmpty ? HTML.empty : "<h2>\(view.l("Your questions", "Kysymyksesi"))</h2>\(threads)" as HTML)
            </section>
            """
    }

    static func statusName(_ status: InquiryStatus, _ view: ViewContext) -> String {
        switch status {
        case .new: view.l("received", "vastaanotettu")
        case .open: view.l("being answered", "käsittelyssä")
        case .waitingForCustomer: view.l("answered", "vastattu")
        case .resolved: view.l("closed", "suljettu")
        }
    }

    /// A refused field as the reader sees it: the field's label in their language, then the reason.
    static func problems(_ error: SupportError, _ view: ViewContext) -> [String] {
        error.problems.map { problem in
            let label =
                switch problem.field {
                case "text": view.l("Your message", "Viestisi")
                case "email": view.l("Email address", "Sähköpostiosoite")
                case "code": view.l("Code", "Koodi")
                case "incident": view.l("Incident", "Tapaus")
                default: view.l("Attempts", "Yritykset")
                }
            return "\(label): \(problem.reason(in: view.language))"
        }
    }
}
