import Foundation
import KilpiCore
import KilpiStore

/// One template (key and language): the version shown, its approval, the history, the editor that saves a new
/// draft, the variables a template may use and the form to preview it as an affected customer.
extension NoticeViews {
    struct TemplateEditPage {
        let key: String
        let language: Language
        /// Newest first.
        let versions: [NoticeTemplateVersion]
        /// The version on show (the one asked for, else the newest); nil when none was saved yet.
        let shown: NoticeTemplateVersion?
        /// What the editor holds: the shown version's text, or (after a refusal) exactly what was typed.
        var draft: NoticeTemplateText
        var problems: [FieldProblem] = []
        /// A confirmation to show (saved, approved).
        var confirmation: String?
        /// Actor (`user:3`) → display name.
        let names: [String: String]
        /// Incidents to preview against (their affected customers).
        let incidents: [Incident]
    }

    /// The parts of a template, as the form and the checker name them.
    static let templateFields = ["subject", "text", "html"]

    static func templateEdit(_ view: ViewContext, _ page: TemplateEditPage) -> HTML {
        let title = "\(keyName(page.key, view)) · \(page.language.name)"
        let shown = page.shown
        let mine = view.user.map { "user:\($0.id)" }
        let history: [HTML] = page.versions.map { version in
            let current = version.id == shown?.id
            let label: HTML =
                "v\(version.version) · \(version.isApproved ? view.l("approved", "hyväksytty") : view.l("draft", "luonnos"))"
            return current
                ? "<li><strong aria-current=\"page\">\(label)</strong></li>"
                : "<li><a href=\"\(editLink(key: page.key, language: page.language, version: version.version))\">\(label)</a></li>"
        }
        var about: HTML = .empty
        if let shown {
            let approval: HTML =
                shown.isApproved
                ? "\(view.l("Approved by", "Hyväksyjä")) \(actorName(shown.approvedBy, page.names)) \(FormTime.show(shown.approvedAt))."
                : "<strong>\(view.l("Draft: not approved, so it cannot be sent.", "Luonnos: ei hyväksytty, joten sitä ei voi lähettää."))</strong>"
            var approve: HTML = .empty
            if !shown.isApproved && view.may(Routes.noticeTemplateApprove) {
                approve =
                    shown.createdBy == mine
                    ? "<p class=\"muted\">\(view.l("You saved this version, so someone else must approve it (four eyes).", "Tallensit tämän version itse, joten jonkun muun on hyväksyttävä se (neljän silmän periaate)."))</p>"
                    : """
                    <form method="post" action="\(Routes.noticeTemplateApprove.path(id: shown.id))">\(view.csrfField)
                    <button type="submit">\(view.l("Approve this version", "Hyväksy tämä versio"))</button></form>
                    """
            }
            about = """
                <p>v\(shown.version) · \(view.l("written by", "kirjoittaja")) \(actorName(shown.createdBy, page.names)) \(FormTime.show(shown.createdAt)). \(approval)</p>
                \(approve)
                """
        }
        let general = page.problems.filter { !templateFields.contains($0.field) }
        let editor: HTML =
            view.may(Routes.noticeTemplateSave)
            ? """
            <h2>\(view.l("Edit", "Muokkaa"))</h2>
            <p class="hint">\(view.l("Saving makes a new draft version; the version approved now stays in use until the new one is approved.", "Tallentaminen tekee uuden luonnosversion; nyt hyväksytty versio pysyy käytössä, kunnes uusi hyväksytään."))</p>
            <form method="post" action="\(Routes.noticeTemplateSave.path())">\(view.csrfField)
            <input type="hidden" name="key" value="\(page.key)"><input type="hidden" name="language" value="\(page.language.rawValue)">
            <label for="subject">\(view.l("Subject", "Aihe"))</label>
            \(problems(page.problems, for: "subject", view))
            <input id="subject" name="subject" value="\(page.draft.subject)" maxlength="\(NoticeService.maximumSubject)" required\(describedBy(page.problems, "subject"))>
            <label for="text">\(view.l("Plain text", "Pelkkä teksti"))</label>
            \(problems(page.problems, for: "text", view))
            <textarea id="text" name="text" rows="18" class="code" required\(describedBy(page.problems, "text"))>\(page.draft.text)</textarea>
            <label for="html">HTML</label>
            \(problems(page.problems, for: "html", view))
            <textarea id="html" name="html" rows="18" class="code" required\(describedBy(page.problems, "html"))>\(page.draft.html)</textarea>
            <button type="submit">\(view.l("Save as a new draft", "Tallenna uutena luonnoksena"))</button></form>
            """
            : shown.map { shown in
                """
                <h2>\(view.l("Subject", "Aihe"))</h2><pre class="code prewrap">\(shown.text.subject)</pre>
                <h2>\(view.l("Plain text", "Pelkkä teksti"))</h2><pre class="code prewrap">\(shown.text.text)</pre>
                <h2>HTML</h2><pre class="code prewrap">\(shown.text.html)</pre>
                """
            } ?? .empty
        let variables: [HTML] = NoticeVariable.all.map { variable in
            let fields: [HTML] = variable.fields.map {
                "<li><code>\($0.name)</code> · \($0.meaning.text(view.language))</li>"
            }
            return
                "<li><code>\(variable.kind == .list || variable.kind == .flag ? "{{#\(variable.name)}}…{{/\(variable.name)}}" : "{{\(variable.name)}}")</code> · \(variable.meaning.text(view.language))\(fields.isEmpty ? .empty : "<ul class=\"compact\">\(fields)</ul>" as HTML)</li>"
        }
        var preview: HTML = .empty
        if let shown, view.may(Routes.noticeTemplatePreview) {
            let options: [HTML] = page.incidents.map {
                "<option value=\"\($0.id)\">\($0.reference) · \($0.title)</option>"
            }
            preview =
                page.incidents.isEmpty
                ? .empty
                : """
                <h2>\(view.l("Preview as a customer", "Esikatsele asiakkaana"))</h2>
                <p class="hint">\(view.l("Shows v\(shown.version) as one affected customer of an incident would get it. The preview is recorded in the audit log as a view of that customer's data.", "Näyttää version v\(shown.version) sellaisena kuin tapauksen asianomainen asiakas sen saisi. Esikatselu kirjataan lokiin asiakkaan tietojen katseluna."))</p>
                <form method="post" action="\(Routes.noticeTemplatePreview.path(id: shown.id))">\(view.csrfField)
                <div class="filters"><label>\(view.l("Incident", "Tapaus")) <select name="incident">\(options)</select></label>
                <label>\(view.l("Customer id", "Asiakastunnus")) <input name="customer" required maxlength="200"></label></div>
                <button type="submit" class="secondary">\(view.l("Preview (audited)", "Esikatsele (kirjataan)"))</button></form>
                """
        }
        return Layout.page(
            title,
            view,
            wide: true,
            body: """
                <p class="muted"><a href="\(Routes.noticeTemplates.path())">\(view.l("Notice templates", "Ilmoituspohjat"))</a> › \(title)</p>
                <h1>\(title)</h1>
                \(page.confirmation.map { Layout.notice("ok", $0) })
                \(Layout.errors(general.map { $0.description(in: view.language) }))
                \(page.versions.isEmpty ? "<p>\(view.l("No version saved yet.", "Yhtään versiota ei ole vielä tallennettu."))</p>" as HTML : "<nav aria-label=\"\(view.l("Versions", "Versiot"))\"><ul class=\"compact\">\(history)</ul></nav>" as HTML)
                \(about)
                \(editor)
                <details><summary>\(view.l("Variables a template may use", "Muuttujat, joita pohja voi käyttää"))</summary><ul class="compact">\(variables)</ul></details>
                \(preview)
                """
        )
    }
}
