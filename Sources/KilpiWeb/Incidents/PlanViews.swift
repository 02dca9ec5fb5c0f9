import Foundation
import KilpiCore

/// The plan page (check findings, the plan document, the playbooks) and the playbook page.
enum PlanViews {
    static func plan(
        _ view: ViewContext,
        plan: ResponsePlan,
        form: PlanForm,
        document: String,
        playbooks: [Playbook],
        findings: [PlanFinding],
        problems: [FieldProblem]
    ) -> HTML {
        let items: [HTML] = findings.map { finding in
            "<li><strong>\(view.text(finding.problem))</strong><br>\(view.l("Why it matters", "Miksi sillä on väliä")): \(view.text(finding.why))<br>\(view.l("How to fix", "Korjaus")): \(view.text(finding.fix))</li>"
        }
        let rows: [HTML] = playbooks.map { playbook in
            "<tr><td><a href=\"\(Routes.playbook.path(["id": playbook.id]))\">\(view.text(playbook.title))</a></td><td>\(view.l(playbook.threatKind.nameEN, playbook.threatKind.nameFI))</td><td>\(playbook.steps.count)</td><td>\(UTCDay.format(playbook.reviewedOn))</td></tr>"
        }
        let editor: HTML =
            view.may(Routes.planUpdate)
            ? """
            \(Layout.errors(problems.map { $0.description(in: view.language) }))
            <form method="post" action="\(Routes.planUpdate.path())">\(view.csrfField)
            \(planTables(view, form, editable: true))
            <button type="submit">\(view.t(.save))</button></form>
            <details><summary>\(view.l("Edit as JSON", "Muokkaa JSON-muodossa"))</summary>
            <form method="post" action="\(Routes.planUpdate.path())">\(view.csrfField)
            <label for="document">\(view.l("Plan document (JSON): roles → named people, contacts (legal, pr, insurer, authority, forensics, other), exercises", "Suunnitelma (JSON): roolit → nimetyt henkilöt, yhteystiedot (legal, pr, insurer, authority, forensics, other), harjoitukset"))</label>
            <textarea id="document" name="document" rows="18" class="code" spellcheck="false">\(document)</textarea>
            <button type="submit">\(view.t(.save))</button></form></details>
            """ : planTables(view, PlanForm(plan: plan), editable: false)
        return Layout.page(
            view.l("Response plan", "Toimintasuunnitelma"),
            view,
            wide: true,
            body: """
                <h1>\(view.l("Incident-response plan", "Häiriötilanteiden toimintasuunnitelma"))</h1>
                <h2>\(view.l("Plan check", "Suunnitelman tarkistus"))</h2>
                \(findings.isEmpty ? Layout.notice("ok", view.l("No findings: the plan names its people, contacts, steps and exercises.", "Ei huomautuksia: suunnitelmassa on nimetyt henkilöt, yhteystiedot, vaiheet ja harjoitukset.")) : "<ol class=\"findings\">\(items)</ol>" as HTML)
                <h2>\(view.l("Playbooks", "Toimintaohjeet"))</h2>
                <table><thead><tr><th>\(view.l("Playbook", "Toimintaohje"))</th><th>\(view.l("Threat", "Uhka"))</th><th>\(view.l("Steps", "Vaiheet"))</th><th>\(view.l("Reviewed", "Tarkistettu"))</th></tr></thead><tbody>\(rows)</tbody></table>
                <h2>\(view.l("Roles, contacts and exercises", "Roolit, yhteystiedot ja harjoitukset"))</h2>
                \(editor)
                """
        )
    }

    /// Who holds each role, the outside contacts and the exercises held: inputs for editors, text for the rest.
    private static func planTables(_ view: ViewContext, _ form: PlanForm, editable: Bool) -> HTML {
        func cell(_ name: String, _ value: String, _ label: String, type: String = "text") -> HTML {
            editable
                ? "<td><input type=\"\(type)\" name=\"\(name)\" value=\"\(value)\" aria-label=\"\(label)\" maxlength=\"2000\"></td>"
                : "<td>\(value)</td>"
        }
        let name = view.l("Name", "Nimi")
        let phone = view.l("Phone", "Puhelin")
        let email = view.l("Email", "Sähköposti")
        let roles: [HTML] = IncidentRole.allCases.map { role in
            let person = form.roles[role] ?? PlanForm.Person()
            let title = view.l(role.nameEN, role.nameFI)
            return
                "<tr><th scope=\"row\">\(title)</th>\(cell("role.\(role.rawValue).name", person.name, "\(title): \(name)"))\(cell("role.\(role.rawValue).phone", person.phone, "\(title): \(phone)", type: "tel"))\(cell("role.\(role.rawValue).email", person.email, "\(title): \(email)", type: "email"))</tr>"
        }
        let contactRows =
            form.contacts + (editable ? Array(repeating: PlanForm.Contact(), count: PlanForm.blankContacts) : [])
        let contacts: [HTML] = contactRows.enumerated().map { index, contact in
            let kindLabel = view.l("Contact \(index + 1): kind", "Yhteystieto \(index + 1): laji")
            let kind: HTML
            if editable {
                let options: [HTML] = ResponsePlan.ContactKind.allCases.map { option in
                    "<option value=\"\(option.rawValue)\"\(option.rawValue == contact.kind ? " selected" : "")>\(view.l(option.nameEN, option.nameFI))</option>"
                }
                kind = "<td><select name=\"contact.kind\" aria-label=\"\(kindLabel)\">\(options)</select></td>"
            } else {
                kind =
                    "<td>\(ResponsePlan.ContactKind(rawValue: contact.kind).map { view.l($0.nameEN, $0.nameFI) } ?? contact.kind)</td>"
            }
            let row = view.l("Contact \(index + 1)", "Yhteystieto \(index + 1)")
            return
                "<tr>\(kind)\(cell("contact.name", contact.person.name, "\(row): \(name)"))\(cell("contact.phone", contact.person.phone, "\(row): \(phone)", type: "tel"))\(cell("contact.email", contact.person.email, "\(row): \(email)", type: "email"))</tr>"
        }
        let exerciseRows =
            form.exercises + (editable ? Array(repeating: PlanForm.Exercise(), count: PlanForm.blankExercises) : [])
        let exercises: [HTML] = exerciseRows.enumerated().map { index, exercise in
            let row = view.l("Exercise \(index + 1)", "Harjoitus \(index + 1)")
            return
                "<tr>\(cell("exercise.date", exercise.date, "\(row): \(view.l("date", "päivä"))", type: "date"))\(cell("exercise.description", exercise.description, "\(row): \(view.l("what was exercised", "mitä harjoiteltiin"))"))</tr>"
        }
        return """
            <h3>\(view.l("Roles", "Roolit"))</h3>
            <table><thead><tr><th>\(view.l("Role", "Rooli"))</th><th>\(name)</th><th>\(phone)</th><th>\(email)</th></tr></thead><tbody>\(roles)</tbody></table>
            <h3>\(view.l("Contacts", "Yhteystiedot"))</h3>
            <table><thead><tr><th>\(view.l("Kind", "Laji"))</th><th>\(name)</th><th>\(phone)</th><th>\(email)</th></tr></thead><tbody>\(contacts)</tbody></table>
            <h3>\(view.l("Exercises", "Harjoitukset"))</h3>
            <table><thead><tr><th>\(view.l("Date", "Päivä"))</th><th>\(view.l("What was exercised", "Mitä harjoiteltiin"))</th></tr></thead><tbody>\(exercises)</tbody></table>
            """
    }

    static func playbook(
        _ view: ViewContext,
        playbook: Playbook,
        document: String,
        problems: [FieldProblem] = []
    ) -> HTML {
        let steps: [HTML] = playbook.steps.map { step in
            let checklist: [HTML] = step.checklist.map { "<li>\(view.text($0))</li>" }
            return
                "<tr><td>+\(step.dueAfterHours) h</td><td><strong>\(view.text(step.title))</strong><ul class=\"compact\">\(checklist)</ul></td><td>\(view.l(step.owner.nameEN, step.owner.nameFI))</td><td>\(step.phase.rawValue)\(step.purpose.map { "<br><span class=\"badge\">\($0.rawValue)</span>" as HTML })</td></tr>"
        }
        let editor: HTML =
            view.may(Routes.playbookUpdate)
            ? """
            <h2>\(view.l("Edit (saving records today as the review date)", "Muokkaa (tallennus kirjaa tämän päivän tarkistuspäiväksi)"))</h2>
            <p class="muted">\(view.l("Every text has en and fi; sv (Swedish) may be left out, and Swedish readers then see the English. When you change a text, change or remove its sv too.", "Jokaisella tekstillä on en ja fi; sv (ruotsi) voi puuttua, jolloin ruotsinkieliset lukijat näkevät englanninkielisen tekstin. Kun muutat tekstiä, muuta tai poista myös sen sv."))</p>
            \(Layout.errors(problems.map { $0.description(in: view.language) }))
            <form method="post" action="\(Routes.playbookUpdate.path(["id": playbook.id]))">\(view.csrfField)
            <textarea id="document" name="document" rows="24" class="code" spellcheck="false" aria-label="JSON">\(document)</textarea>
            <button type="submit">\(view.t(.save))</button></form>
            """ : .empty
        return Layout.page(
            view.l(playbook.title),
            view,
            wide: true,
            body: """
                <p class="muted"><a href="\(Routes.plan.path())">\(view.l("Response plan", "Toimintasuunnitelma"))</a> › \(playbook.id)</p>
                <h1>\(view.text(playbook.title))</h1>
                <p>\(view.l("Reviewed", "Tarkistettu")) \(UTCDay.format(playbook.reviewedOn))</p>
                <table><thead><tr><th>\(view.l("Due", "Määräaika"))</th><th>\(view.l("Step", "Vaihe"))</th><th>\(view.l("Owner", "Vastuu"))</th><th>\(view.l("Phase", "Vaihe"))</th></tr></thead><tbody>\(steps)</tbody></table>
                \(editor)
                """
        )
    }
}
