import Foundation
import KilpiCore

/// The plan page (check findings, the plan document, the playbooks) and the playbook page.
enum PlanViews {
    static func plan(_ view: ViewContext, plan: ResponsePlan, document: String, playbooks: [Playbook], findings: [PlanFinding], problems: [FieldProblem]) -> HTML {
        let items: [HTML] = findings.map { finding in
            "<li><strong>\(view.l(finding.problem))</strong><br>\(view.l("Why it matters", "Miksi sillä on väliä")): \(view.l(finding.why))<br>\(view.l("How to fix", "Korjaus")): \(view.l(finding.fix))</li>"
        }
        let rows: [HTML] = playbooks.map { playbook in
            "<tr><td><a href=\"\(Routes.playbook.path(["id": playbook.id]))\">\(view.l(playbook.title))</a></td><td>\(view.l(playbook.threatKind.nameEN, playbook.threatKind.nameFI))</td><td>\(playbook.steps.count)</td><td>\(UTCDay.format(playbook.reviewedOn))</td></tr>"
        }
        let editor: HTML = view.may(Routes.planUpdate) ? """
            <form method="post" action="\(Routes.planUpdate.path())">\(view.csrfField)
            \(Layout.errors(problems.map(\.description)))
            <label for="document">\(view.l("Plan document (JSON): roles → named people, contacts (legal, pr, insurer, authority, forensics, other), exercises", "Suunnitelma (JSON): roolit → nimetyt henkilöt, yhteystiedot (legal, pr, insurer, authority, forensics, other), harjoitukset"))</label>
            <textarea id="document" name="document" rows="18" class="code" spellcheck="false">\(document)</textarea>
            <button type="submit">\(view.t(.save))</button></form>
            """ : "<pre class=\"code\">\(document)</pre>"
        return Layout.page(view.l("Response plan", "Toimintasuunnitelma"), view, wide: true, body: """
        <h1>\(view.l("Incident-response plan", "Häiriötilanteiden toimintasuunnitelma"))</h1>
        <h2>\(view.l("Plan check", "Suunnitelman tarkistus"))</h2>
        \(findings.isEmpty ? Layout.notice("ok", view.l("No findings: the plan names its people, contacts, steps and exercises.", "Ei huomautuksia: suunnitelmassa on nimetyt henkilöt, yhteystiedot, vaiheet ja harjoitukset.")) : "<ol class=\"findings\">\(items)</ol>" as HTML)
        <h2>\(view.l("Playbooks", "Toimintaohjeet"))</h2>
        <table><thead><tr><th>\(view.l("Playbook", "Toimintaohje"))</th><th>\(view.l("Threat", "Uhka"))</th><th>\(view.l("Steps", "Vaiheet"))</th><th>\(view.l("Reviewed", "Tarkistettu"))</th></tr></thead><tbody>\(rows)</tbody></table>
        <h2>\(view.l("Roles, contacts and exercises", "Roolit, yhteystiedot ja harjoitukset"))</h2>
        \(editor)
        """)
    }

    static func playbook(_ view: ViewContext, playbook: Playbook, document: String, problems: [FieldProblem] = []) -> HTML {
        let steps: [HTML] = playbook.steps.map { step in
            let checklist: [HTML] = step.checklist.map { "<li>\(view.l($0))</li>" }
            return "<tr><td>+\(step.dueAfterHours) h</td><td><strong>\(view.l(step.title))</strong><ul class=\"compact\">\(checklist)</ul></td><td>\(view.l(step.owner.nameEN, step.owner.nameFI))</td><td>\(step.phase.rawValue)\(step.purpose.map { "<br><span class=\"badge\">\($0.rawValue)</span>" as HTML })</td></tr>"
        }
        let editor: HTML = view.may(Routes.playbookUpdate) ? """
            <h2>\(view.l("Edit (saving records today as the review date)", "Muokkaa (tallennus kirjaa tämän päivän tarkistuspäiväksi)"))</h2>
            \(Layout.errors(problems.map(\.description)))
            <form method="post" action="\(Routes.playbookUpdate.path(["id": playbook.id]))">\(view.csrfField)
            <textarea id="document" name="document" rows="24" class="code" spellcheck="false" aria-label="JSON">\(document)</textarea>
            <button type="submit">\(view.t(.save))</button></form>
            """ : .empty
        return Layout.page(view.l(playbook.title), view, wide: true, body: """
        <p class="muted"><a href="\(Routes.plan.path())">\(view.l("Response plan", "Toimintasuunnitelma"))</a> › \(playbook.id)</p>
        <h1>\(view.l(playbook.title))</h1>
        <p>\(view.l("Reviewed", "Tarkistettu")) \(UTCDay.format(playbook.reviewedOn))</p>
        <table><thead><tr><th>\(view.l("Due", "Määräaika"))</th><th>\(view.l("Step", "Vaihe"))</th><th>\(view.l("Owner", "Vastuu"))</th><th>\(view.l("Phase", "Vaihe"))</th></tr></thead><tbody>\(steps)</tbody></table>
        \(editor)
        """)
    }
}
