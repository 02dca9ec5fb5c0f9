import Foundation
import KilpiCore
import KilpiMarkdown
import KilpiStore

/// An incident's updates for its customers: the list with each one's state, and the form for a new draft.
enum IncidentUpdatesViews {
    struct Form: Sendable {
        var language: Language = .en
        var title = ""
        var body = ""
    }

    struct Page {
        let incident: Incident
        /// Newest first.
        let posts: [PublicPost]
        /// Display names by actor text (`user:7`).
        let names: [String: String]
        var form = Form()
        var problems: [FieldProblem] = []
    }

    static func page(_ view: ViewContext, _ page: Page) -> HTML {
        let incident = page.incident
        let items: [HTML] = page.posts.map { post($0, page, view) }
        let list: HTML =
            items.isEmpty
            ? "<p>\(view.l("No update yet.", "Päivityksiä ei vielä ole."))</p>"
            : "<ol class=\"posts\">\(items)</ol>"
        return Layout.page(
            view.l("Updates for customers", "Päivitykset asiakkaille"),
            view,
            body: """
                \(IncidentViews.tabs(incident, view))
                <h2>\(view.l("Updates for customers", "Päivitykset asiakkaille"))</h2>
                <p class="muted">\(view.l(
                    "A published update appears at once on the personal support pages of this incident's customers, in their language (in English when there is none in theirs), and on the incident's public page of the trust center. One person writes an update and another publishes it; a published update can be withdrawn or corrected.",
                    "Julkaistu päivitys näkyy heti tämän tapauksen asiakkaiden omilla tukisivuilla heidän kielellään (englanniksi, jos heidän kielellään ei ole) sekä luottamuskeskuksen julkisella tapaussivulla. Yksi kirjoittaa päivityksen ja toinen julkaisee sen; julkaistun päivityksen voi poistaa tai korjata."
                ))</p>
                <p>\(view.l(
                    "To keep an update off the public site until the customers' own notices are out, or to schedule it:",
                    "Jos päivitys ei saa näkyä julkisesti ennen kuin asiakkaiden omat ilmoitukset on lähetetty, tai haluat ajastaa sen:"
                )) <a href="\(Routes.posts.path())?incident=\(incident.id)">\(view.l("write it on the trust center's posts page (hold until notified)", "kirjoita se luottamuskeskuksen julkaisuihin (odottaa ilmoituksia)"))</a></p>
                \(Layout.errors(page.problems.filter { !["language", "title", "body"].contains($0.field) }.map { $0.description(in: view.language) }))
                \(list)
                \(view.may(Routes.incidentUpdateCreate) ? form(page, view) : .empty)
                """
        )
    }

    static func post(_ post: PublicPost, _ page: Page, _ view: ViewContext) -> HTML {
        let body = HTML(unsafeRaw: PublicMarkdown.html(post.body))
        let writer = page.names[post.writtenBy] ?? post.writtenBy
        var meta: [HTML] = ["\(view.l("written by", "kirjoittanut")) \(writer) \(FormTime.show(post.writtenAt))"]
        if let by = post.publishedBy, let at = post.publishedAt {
            meta.append("\(view.l("published by", "julkaissut")) \(page.names[by] ?? by) \(FormTime.show(at))")
        }
        if let at = post.withdrawnAt {
            meta.append("\(view.l("withdrawn", "poistettu")) \(FormTime.show(at))")
        }
        var actions: [HTML] = []
        if post.state == .draft && view.may(Routes.updatePublish) {
            actions.append(
                PostConsoleViews.button(
                    Routes.updatePublish,
                    post,
                    view.l("Publish", "Julkaise"),
                    view,
                    version: post.writtenAt
                )
            )
        }
        if post.state != .withdrawn && view.may(Routes.updateWithdraw) {
            let label = post.state == .draft ? view.l("Discard", "Hylkää") : view.l("Withdraw", "Poista julkaisusta")
            actions.append(PostConsoleViews.button(Routes.updateWithdraw, post, label, view))
        }
        return """
            <li><article><h3>\(post.title) <span class="badge">\(post.language.name)</span> <span class="badge status">\(stateName(post.state, view))</span></h3>
            <div class="markdown">\(body)</div>
            <p class="muted"><a href="\(Routes.post.path(id: post.id))">\(view.l("open the post", "avaa julkaisu"))</a> · \(HTML(unsafeRaw: meta.map(\.rendered).joined(separator: " · ")))</p>\(actions)</article></li>
            """
    }

    static func stateName(_ state: PublicPost.State, _ view: ViewContext) -> String {
        switch state {
        case .draft: view.l("draft", "luonnos")
        case .published: view.l("published", "julkaistu")
        case .withdrawn: view.l("withdrawn", "poistettu")
        }
    }

    static func form(_ page: Page, _ view: ViewContext) -> HTML {
        let languages: [HTML] = Language.allCases.map { language in
            "<option value=\"\(language.rawValue)\"\(language == page.form.language ? " selected" as HTML : .empty)>\(language.name)</option>"
        }
        return """
            <h2>\(view.l("Write an update", "Kirjoita päivitys"))</h2>
            <form method="post" action="\(Routes.incidentUpdateCreate.path(id: page.incident.id))">\(view.csrfField)
            <label for="language">\(view.l("Language", "Kieli"))</label>\(NoticeViews.problems(page.problems, for: "language", view))
            <select id="language" name="language">\(languages)</select>
            <label for="title">\(view.l("Title", "Otsikko"))</label>\(NoticeViews.problems(page.problems, for: "title", view))
            <input id="title" name="title" value="\(page.form.title)" maxlength="\(PublicPost.titleLimit)" required\(NoticeViews.describedBy(page.problems, "title"))>
            <label for="body">\(view.l("Update (Markdown; a blank line starts a new paragraph)", "Päivitys (Markdown; tyhjä rivi aloittaa uuden kappaleen)"))</label>\(NoticeViews.problems(page.problems, for: "body", view))
            <textarea id="body" name="body" rows="8" maxlength="\(PublicPost.bodyLimit)" required\(NoticeViews.describedBy(page.problems, "body"))>\(page.form.body)</textarea>
            <button type="submit">\(view.l("Save as draft", "Tallenna luonnoksena"))</button>
            </form>
            """
    }
}
