import Foundation
import KilpiCore
import KilpiMarkdown
import KilpiStore

/// The console's trust-center posts: the list with the form for a new draft, and one post with its preview,
/// its release (scheduled, held for the notices, public), and the actions its state allows.
enum PostConsoleViews {
    /// The form's fields as typed, so a refused form comes back as it was sent.
    struct Form: Sendable {
        var fields: [String: String] = ["kind": PublicPost.Kind.update.rawValue, "language": Language.en.rawValue]

        static let names = [
            "kind", "incident", "language", "title", "body", "severity", "products", "topic", "publish_at",
            "hold_campaign", "hold_share", "hold_until",
        ]

        init() {}

        init(_ form: FormData) {
            fields = [:]
            for name in Self.names {
                // Bounded: the checks refuse what is too long, and a refused form need not echo megabytes.
                fields[name] = String((form[name, trim: name != "body"] ?? "").prefix(PublicPost.bodyLimit + 1_000))
            }
        }

        init(_ post: PublicPost) {
            fields = [
                "kind": post.kind.rawValue, "incident": post.incidentID.map(String.init) ?? "",
                "language": post.language.rawValue, "title": post.title, "body": post.body,
                "severity": post.severity?.rawValue ?? "", "products": post.products ?? "",
                "topic": post.topic?.rawValue ?? "", "publish_at": FormTime.inputValue(post.publishAt),
                "hold_campaign": post.hold.map { String($0.campaignID) } ?? "",
                "hold_share": post.hold.map { String($0.share) } ?? "",
                "hold_until": FormTime.inputValue(post.hold?.until),
            ]
        }

        /// A guide's form started from the shipped text.
        init(guide: GuideTopic, language: Language) {
            let shipped = ShippedGuides.guide(guide, language)
            fields = [
                "kind": PublicPost.Kind.guide.rawValue, "language": language.rawValue, "topic": guide.rawValue,
                "title": shipped.title, "body": shipped.markdown,
            ]
        }

        /// An incident update's form for `incident` (the incident page links here to hold or schedule one).
        init(incident: Int64) {
            fields = [
                "kind": PublicPost.Kind.incidentUpdate.rawValue, "incident": String(incident),
                "language": Language.en.rawValue,
            ]
        }

        subscript(_ name: String) -> String { fields[name] ?? "" }
    }

    struct Choices {
        let incidents: [Incident]
        let campaigns: [NoticeCampaign]
    }

    static func list(
        _ view: ViewContext,
        _ posts: [PublicPost],
        _ choices: Choices,
        names: [String: String],
        now: Date,
        form: Form = Form(),
        problems: [FieldProblem] = []
    ) -> HTML {
        let rows: [HTML] = posts.map { post in
            """
            <tr><td><a href="\(Routes.post.path(id: post.id))">\(post.title)</a></td>
            <td>\(PostPublicViews.kindName(post.kind, view))</td><td>\(post.language.name)</td>
            <td>\(stateText(post, view, now: now))</td><td>\(names[post.writtenBy] ?? post.writtenBy)</td></tr>
            """
        }
        let guides: [HTML] = GuideTopic.allCases.map { topic in
            let links: [HTML] = Language.allCases.map { language in
                "<a href=\"\(Routes.posts.path())?guide=\(topic.rawValue)&amp;lang=\(language.rawValue)#new\">\(language.name)</a>"
            }
            return
                "<li>\(ShippedGuides.guide(topic, view.language).title): \(HTML(unsafeRaw: links.map(\.rendered).joined(separator: " · ")))</li>"
        }
        return Layout.page(
            view.l("Trust-center posts", "Luottamuskeskuksen julkaisut"),
            view,
            body: """
                <h1>\(view.l("Trust-center posts", "Luottamuskeskuksen julkaisut"))</h1>
                <p class="muted">\(view.l(
                    "Updates, incident updates, advisories, public notices and edited guides. One person writes a post and another approves it; it goes public at once, at its scheduled time, or, for an incident update held for the notices, when its campaign has reached the chosen share of recipients (or at the latest time given). A published post is corrected, not edited: the public page says so and keeps the earlier text.",
                    "Päivitykset, poikkeamatiedotteet, tietoturvatiedotteet, julkiset ilmoitukset ja muokatut oppaat. Yksi kirjoittaa julkaisun ja toinen hyväksyy sen; se julkaistaan heti, ajastettuna tai – ilmoituksia odottava poikkeamatiedote – kun kampanja on tavoittanut valitun osuuden vastaanottajista (tai viimeistään annettuna aikana). Julkaistua julkaisua korjataan, ei muokata: julkinen sivu kertoo korjauksesta ja säilyttää aiemman tekstin."
                ))</p>
                \(rows.isEmpty ? "<p>\(view.l("No post yet.", "Julkaisuja ei vielä ole."))</p>" as HTML : """
                    <table><thead><tr><th>\(view.l("Title", "Otsikko"))</th><th>\(view.l("Kind", "Laji"))</th><th>\(view.l("Language", "Kieli"))</th><th>\(view.l("State", "Tila"))</th><th>\(view.l("Written by", "Kirjoittaja"))</th></tr></thead>
                    <tbody>\(rows)</tbody></table>
                    """ as HTML)
                \(view.may(Routes.postCreate) ? """
                    <h2 id="new">\(view.l("Write a post", "Kirjoita julkaisu"))</h2>
                    \(fields(view, form, problems, choices, action: Routes.postCreate.path(), button: view.l("Save as draft", "Tallenna luonnoksena")))
                    <h3>\(view.l("Edit a shipped guide", "Muokkaa valmista opasta"))</h3>
                    <ul>\(guides)</ul>
                    """ as HTML : .empty)
                """
        )
    }

    struct Detail {
        let post: PublicPost
        let history: [PostRevision]
        let progress: (delivered: Int64, reachable: Int64)?
        let names: [String: String]
        let choices: Choices
        var form: Form?
        var problems: [FieldProblem] = []
    }

    static func detail(_ view: ViewContext, _ page: Detail, now: Date) -> HTML {
        let post = page.post
        var facts: [HTML] = [
            "<li>\(view.l("State", "Tila")): \(stateText(post, view, now: now))</li>",
            "<li>\(view.l("Written by", "Kirjoittaja")): \(page.names[post.writtenBy] ?? post.writtenBy) \(FormTime.show(post.writtenAt))</li>",
        ]
        if let by = post.publishedBy {
            facts.append(
                "<li>\(view.l("Approved by", "Hyväksyjä")): \(page.names[by] ?? by) \(FormTime.show(post.publishedAt))</li>"
            )
        }
        if let hold = post.hold {
            let progress = page.progress.map { "\($0.delivered) / \($0.reachable)" } ?? "–"
            facts.append(
                "<li>\(view.l("Held until campaign", "Odottaa kampanjaa")) \(hold.campaignID) \(view.l("has delivered to", "on toimittanut")) \(hold.share) % (\(progress)), \(view.l("at the latest", "viimeistään")) \(FormTime.show(hold.until))</li>"
            )
        }
        if post.state == .published {
            facts.append(
                "<li>\(view.l("Public from", "Julkinen alkaen")): \(FormTime.show(post.releasedAt)) · <a href=\"\(Routes.publicUpdate.path(id: post.id))\">\(view.l("public page", "julkinen sivu"))</a></li>"
            )
        }
        var actions: [HTML] = []
        if post.state == .draft, view.may(Routes.postPublish) {
            actions.append(
                button(
                    Routes.postPublish,
                    post,
                    view.l("Approve and publish", "Hyväksy ja julkaise"),
                    view,
                    version: post.writtenAt
                )
            )
        }
        if let pending = post.pendingCorrection, view.may(Routes.postCorrectionApprove) {
            actions.append(
                button(
                    Routes.postCorrectionApprove,
                    post,
                    view.l("Approve the correction", "Hyväksy korjaus"),
                    view,
                    version: pending.at
                )
            )
        }
        if post.state != .withdrawn, view.may(Routes.postWithdraw) {
            let label = post.state == .draft ? view.l("Discard", "Hylkää") : view.l("Withdraw", "Poista julkaisusta")
            actions.append(button(Routes.postWithdraw, post, label, view))
        }
        var sections: [HTML] = []
        if let pending = post.pendingCorrection {
            sections.append(
                """
                <section class="notice"><h2>\(view.l("Correction waiting for approval", "Hyväksyntää odottava korjaus"))</h2>
                <p>\(page.names[pending.by] ?? pending.by) \(FormTime.show(pending.at)): \(pending.note)</p>
                <h3>\(pending.title)</h3><div class="markdown preview">\(HTML(unsafeRaw: PublicMarkdown.html(pending.body)))</div></section>
                """
            )
        }
        if post.state == .draft, view.may(Routes.postEdit) {
            sections.append(
                """
                <h2>\(view.l("Edit the draft", "Muokkaa luonnosta"))</h2>
                \(fields(view, page.form ?? Form(post), page.problems, page.choices, action: Routes.postEdit.path(id: post.id), button: view.l("Save", "Tallenna")))
                """
            )
        }
        if post.state == .published, view.may(Routes.postCorrect) {
            let form = page.form ?? Form(post)
            sections.append(
                """
                <h2>\(view.l("Correct", "Korjaa"))</h2>
                \(Layout.errors(page.problems.map { $0.description(in: view.language) }))
                <form method="post" action="\(Routes.postCorrect.path(id: post.id))" class="stack">\(view.csrfField)
                <label>\(view.l("Title", "Otsikko"))<input name="title" value="\(form["title"])" required maxlength="\(PublicPost.titleLimit)"></label>
                <label>\(view.l("Text (Markdown)", "Teksti (Markdown)"))<textarea name="body" rows="10" required maxlength="\(PublicPost.bodyLimit)">\(form["body"])</textarea></label>
                <label>\(view.l("What was corrected (shown to readers)", "Mitä korjattiin (näytetään lukijoille)"))<input name="note" value="\(form["note"])" required maxlength="\(PublicPost.noteLimit)"></label>
                <button type="submit">\(view.l("Propose the correction", "Ehdota korjausta"))</button>
                </form>
                """
            )
        }
        let earlier: [HTML] = page.history.map {
            "<li>\(view.l("Version", "Versio")) \($0.revision): \($0.title) (\(FormTime.show($0.publishedAt)) – \(FormTime.show($0.replacedAt)))</li>"
        }
        return Layout.page(
            post.title,
            view,
            body: """
                <p><a href="\(Routes.posts.path())">\(view.l("All posts", "Kaikki julkaisut"))</a></p>
                <h1>\(post.title) <span class="badge">\(PostPublicViews.kindName(post.kind, view))</span> <span class="badge">\(post.language.name)</span></h1>
                <ul>\(facts)</ul>
                \(actions)
                <h2>\(view.l("Preview", "Esikatselu"))</h2>
                \(post.products.map { "<p><strong>\(view.l("Affects", "Koskee"))</strong>: \($0)</p>" as HTML } ?? .empty)
                <div class="markdown preview" lang="\(post.language.rawValue)">\(HTML(unsafeRaw: PublicMarkdown.html(post.body)))</div>
                \(sections)
                \(earlier.isEmpty ? .empty : "<h2>\(view.l("Earlier versions", "Aiemmat versiot"))</h2><ul>\(earlier)</ul>" as HTML)
                """
        )
    }

    static func stateText(_ post: PublicPost, _ view: ViewContext, now: Date) -> String {
        switch post.state {
        case .draft: return view.l("draft", "luonnos")
        case .withdrawn: return view.l("withdrawn", "poistettu")
        case .published:
            if post.isPublic(at: now) {
                return post.pendingCorrection == nil
                    ? view.l("public", "julkinen") : view.l("public, correction waiting", "julkinen, korjaus odottaa")
            }
            return post.hold != nil
                ? view.l("approved, held for the notices", "hyväksytty, odottaa ilmoituksia")
                : view.l("approved, scheduled", "hyväksytty, ajastettu")
        }
    }

    /// A one-button form; an approval carries the `version` (writing time) of the text on the page.
    static func button(
        _ route: Route,
        _ post: PublicPost,
        _ label: String,
        _ view: ViewContext,
        version: Date? = nil
    ) -> HTML {
        let seen: HTML =
            version.map { "<input type=\"hidden\" name=\"version\" value=\"\($0.epochMilliseconds)\">" } ?? .empty
        return """
            <form method="post" action="\(route.path(id: post.id))" class="inline">\(view.csrfField)\(seen)<button type="submit">\(label)</button></form>
            """
    }

    static func fields(
        _ view: ViewContext,
        _ form: Form,
        _ problems: [FieldProblem],
        _ choices: Choices,
        action: String,
        button: String
    ) -> HTML {
        func options<T: RawRepresentable>(_ all: [T], _ field: String, _ name: (T) -> String, blank: Bool) -> HTML
        where T.RawValue == String {
            var items: [HTML] = blank ? ["<option value=\"\">–</option>"] : []
            items += all.map {
                "<option value=\"\($0.rawValue)\"\(form[field] == $0.rawValue ? " selected" as HTML : .empty)>\(name($0))</option>"
            }
            return HTML(unsafeRaw: items.map(\.rendered).joined())
        }
        var incidents: [HTML] = ["<option value=\"\">–</option>"]
        incidents += choices.incidents.map { incident in
            "<option value=\"\(incident.id)\"\(form["incident"] == String(incident.id) ? " selected" as HTML : .empty)>#\(incident.id) \(incident.title)</option>"
        }
        var campaigns: [HTML] = ["<option value=\"\">–</option>"]
        campaigns += choices.campaigns.map { campaign in
            "<option value=\"\(campaign.id)\"\(form["hold_campaign"] == String(campaign.id) ? " selected" as HTML : .empty)>\(view.l("Campaign", "Kampanja")) \(campaign.id) (#\(campaign.incidentID), \(campaign.recipients))</option>"
        }
        func field(_ name: String) -> HTML { NoticeViews.problems(problems, for: name, view) }
        let known = Set(Form.names)
        return """
            \(Layout.errors(problems.filter { !known.contains($0.field) }.map { $0.description(in: view.language) }))
            <form method="post" action="\(action)" class="stack">\(view.csrfField)
            <label>\(view.l("Kind", "Laji"))\(field("kind"))<select name="kind">\(options(PublicPost.Kind.allCases, "kind", { PostPublicViews.kindName($0, view) }, blank: false))</select></label>
            <label>\(view.l("Language", "Kieli"))\(field("language"))<select name="language">\(options(Language.allCases, "language", { $0.name }, blank: false))</select></label>
            <label>\(view.l("Incident (for incident updates and public notices)", "Tapaus (poikkeamatiedotteille ja julkisille ilmoituksille)"))\(field("incident"))<select name="incident">\(incidents)</select></label>
            <label>\(view.l("Title", "Otsikko"))\(field("title"))<input name="title" value="\(form["title"])" required maxlength="\(PublicPost.titleLimit)"\(NoticeViews.describedBy(problems, "title"))></label>
            <label>\(view.l("Text (Markdown: ## heading, - list, **bold**, [link](https://…); HTML is shown as text)", "Teksti (Markdown: ## otsikko, - luettelo, **lihavointi**, [linkki](https://…); HTML näytetään tekstinä)"))\(field("body"))<textarea name="body" rows="12" required maxlength="\(PublicPost.bodyLimit)"\(NoticeViews.describedBy(problems, "body"))>\(form["body"])</textarea></label>
            <fieldset><legend>\(view.l("Advisories", "Tietoturvatiedotteet"))</legend>
            <label>\(view.l("Severity", "Vakavuus"))\(field("severity"))<select name="severity">\(options(PublicPost.Severity.allCases, "severity", { PostPublicViews.severityName($0, view) }, blank: true))</select></label>
            <label>\(view.l("Affected products", "Koskee tuotteita"))\(field("products"))<input name="products" value="\(form["products"])" maxlength="\(PublicPost.productsLimit)"></label>
            </fieldset>
            <fieldset><legend>\(view.l("Guides", "Oppaat"))</legend>
            <label>\(view.l("Topic", "Aihe"))\(field("topic"))<select name="topic">\(options(GuideTopic.allCases, "topic", { ShippedGuides.guide($0, view.language).title }, blank: true))</select></label>
            </fieldset>
            <fieldset><legend>\(view.l("When it goes public (times in UTC)", "Milloin se julkaistaan (ajat UTC)"))</legend>
            <label>\(view.l("Scheduled for (empty: when approved)", "Ajastettu (tyhjä: hyväksyttäessä)"))\(field("publish_at"))<input name="publish_at" type="datetime-local" value="\(form["publish_at"])"></label>
            <p class="muted">\(view.l("Tell customers first: an incident update can wait until its notice campaign has delivered to a share of its recipients, or until a latest time, whichever comes first.", "Kerro asiakkaille ensin: poikkeamatiedote voi odottaa, kunnes ilmoituskampanja on toimittanut ilmoituksen osalle vastaanottajista, tai viimeistään annettuun aikaan, kumpi tahansa tulee ensin."))</p>
            <label>\(view.l("Hold for campaign", "Odota kampanjaa"))\(field("hold_campaign"))<select name="hold_campaign">\(campaigns)</select></label>
            <label>\(view.l("Share delivered (%)", "Toimitettu osuus (%)"))\(field("hold_share"))<input name="hold_share" inputmode="numeric" value="\(form["hold_share"])"></label>
            <label>\(view.l("At the latest", "Viimeistään"))\(field("hold_until"))<input name="hold_until" type="datetime-local" value="\(form["hold_until"])"></label>
            </fieldset>
            <button type="submit">\(button)</button>
            </form>
            """
    }
}
