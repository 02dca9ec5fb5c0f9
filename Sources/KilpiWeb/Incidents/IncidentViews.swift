import Foundation
import KilpiCore
import KilpiStore

/// Console pages of incidents: the list, one incident, and their forms.
enum IncidentViews {
    static func kindName(_ kind: ThreatKind, _ view: ViewContext) -> String { view.l(kind.nameEN, kind.nameFI) }
    static func statusName(_ status: IncidentStatus, _ view: ViewContext) -> String {
        view.l(status.nameEN, status.nameFI)
    }
    static func roleName(_ role: IncidentRole, _ view: ViewContext) -> String { view.l(role.nameEN, role.nameFI) }

    static func badge(_ incident: Incident, _ view: ViewContext) -> HTML {
        "<span class=\"badge \(incident.severity.rawValue.lowercased())\">\(incident.severity.rawValue)</span> <span class=\"badge status\">\(statusName(incident.status, view))</span>"
    }

    /// Sub-navigation shared by an incident's pages.
    static func tabs(_ incident: Incident, _ view: ViewContext) -> HTML {
        let items: [(Route, String)] = [
            (Routes.incident, view.l("Overview", "Yleiskuva")),
            (Routes.incidentScope, view.l("Scope and exposure", "Laajuus ja altistuminen")),
            (Routes.incidentExposure, view.l("Affected customers", "Asianomaiset asiakkaat")),
            (Routes.incidentImpact, view.l("Impact", "Vaikutukset")),
            (Routes.incidentReview, view.l("Review", "Jälkiarviointi")),
        ]
        let links: [HTML] = items.filter { view.may($0.0) }.map { route, label in
            let path = route.path(id: incident.id)
            return
                "<li><a href=\"\(path)\"\(view.path == path ? " aria-current=\"page\"" as HTML : .empty)>\(label)</a></li>"
        }
        return """
            <p class="muted"><a href="\(Routes.incidents.path())">\(view.l("Incidents", "Tapaukset"))</a> › \(incident.reference)</p>
            <h1>\(incident.title) \(badge(incident, view))</h1>
            <nav class="tabs" aria-label="\(incident.reference)"><ul>\(links)</ul></nav>
            """
    }

    // MARK: List

    static func list(
        _ view: ViewContext,
        items: [IncidentListItem],
        staff: [StaffUser],
        draft: IncidentDraft? = nil,
        problems: [FieldProblem] = []
    ) -> HTML {
        let rows: [HTML] = items.map { item in
            let incident = item.incident
            return """
                <tr\(item.overdueTasks > 0 && incident.status.isOpen ? " class=\"overdue\"" as HTML : .empty)>
                <td><a href="\(Routes.incident.path(id: incident.id))">\(incident.reference)</a></td><td>\(incident.title)</td>
                <td>\(badge(incident, view))</td><td>\(incident.kinds.map { kindName($0, view) }.joined(separator: ", "))</td>
                <td class="nowrap">\(FormTime.show(incident.declaredAt))</td>
                <td>\(item.openTasks)\(item.overdueTasks > 0 ? " · <strong>\(item.overdueTasks) \(view.l("overdue", "myöhässä"))</strong>" as HTML : .empty)</td></tr>
                """
        }
        let declare: HTML =
            view.may(Routes.incidentCreate) ? declareForm(view, staff: staff, draft: draft, problems: problems) : .empty
        let table: HTML =
            items.isEmpty
            ? Layout.notice("info", view.l("No incidents yet.", "Ei tapauksia."))
            : """
            <table><thead><tr><th>\(view.l("Ref.", "Tunnus"))</th><th>\(view.l("Title", "Otsikko"))</th><th>\(view.l("Severity and status", "Vakavuus ja tila"))</th>
            <th>\(view.l("Threat", "Uhka"))</th><th>\(view.l("Declared", "Julistettu"))</th><th>\(view.l("Open tasks", "Avoimet tehtävät"))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(
            view.l("Incidents", "Tapaukset"),
            view,
            wide: true,
            body: """
                <h1>\(view.l("Incidents", "Tapaukset"))</h1>
                \(table)
                <p><a href="\(Routes.plan.path())">\(view.l("Response plan and playbooks", "Toimintasuunnitelma ja toimintaohjeet"))</a></p>
                \(declare)
                """
        )
    }

    static func severityHelp(_ view: ViewContext) -> HTML {
        let items: [HTML] = Severity.allCases.map {
            "<dt>\($0.rawValue)</dt><dd>\(view.l($0.definitionEN, $0.definitionFI))</dd>"
        }
        return
            "<details><summary>\(view.l("Severity definitions", "Vakavuustasojen määritelmät"))</summary><dl class=\"facts\">\(items)</dl></details>"
    }

    static func declareForm(
        _ view: ViewContext,
        staff: [StaffUser],
        draft: IncidentDraft?,
        problems: [FieldProblem]
    ) -> HTML {
        let commanderOptions: [HTML] = staff.map {
            "<option value=\"\($0.id)\"\($0.id == view.user?.id ? " selected" as HTML : .empty)>\($0.displayName) (\($0.role.rawValue))</option>"
        }
        return """
            <h2 id="declare">\(view.l("Declare an incident", "Julista tapaus"))</h2>
            \(Layout.errors(problems.map { $0.description(in: view.language) }))
            <form method="post" action="\(Routes.incidentCreate.path())">\(view.csrfField)
            \(detailFields(view, draft: draft ?? IncidentDraft(title: "", kinds: [], severity: .sev3)))
            <label for="commander">\(roleName(.commander, view))</label>
            <select id="commander" name="commander">\(commanderOptions)</select>
            <button type="submit">\(view.l("Declare", "Julista"))</button>
            </form>
            """
    }

    /// Title, summary, threat kinds, severity and key times: shared by the declare and edit forms.
    static func detailFields(_ view: ViewContext, draft: IncidentDraft) -> HTML {
        let kinds: [HTML] = ThreatKind.allCases.map { kind in
            "<label class=\"check\"><input type=\"checkbox\" name=\"kinds\" value=\"\(kind.rawValue)\"\(draft.kinds.contains(kind) ? " checked" as HTML : .empty)> \(kindName(kind, view))</label>"
        }
        let severities: [HTML] = Severity.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == draft.severity ? " selected" as HTML : .empty)>\($0.rawValue)</option>"
        }
        let timeLabels: [(String, String, String)] = [
            ("occurred_at", "Occurred", "Tapahtui"), ("detected_at", "Detected", "Havaittu"),
            ("aware_at", "Became aware (GDPR clock starts)", "Tietoon tulo (GDPR-määräaika alkaa)"),
            ("contained_at", "Contained", "Rajattu"), ("resolved_at", "Resolved", "Ratkaistu"),
        ]
        let times: [HTML] = zip(timeLabels, draft.times.fields).map { label, field in
            "<label for=\"\(label.0)\">\(view.l(label.1, label.2))</label><input id=\"\(label.0)\" name=\"\(label.0)\" type=\"datetime-local\" value=\"\(FormTime.inputValue(field.value))\">"
        }
        return """
            <label for="title">\(view.l("Title", "Otsikko"))</label>
            <input id="title" name="title" value="\(draft.title)" required maxlength="200">
            <label for="summary">\(view.l("Summary", "Yhteenveto"))</label>
            <textarea id="summary" name="summary" rows="3">\(draft.summary)</textarea>
            <fieldset><legend>\(view.l("Threat kinds", "Uhkatyypit"))</legend>\(kinds)</fieldset>
            <label for="severity">\(view.l("Severity", "Vakavuus"))</label>
            <select id="severity" name="severity">\(severities)</select>
            \(severityHelp(view))
            <fieldset><legend>\(view.l("Key times (UTC)", "Keskeiset ajat (UTC)"))</legend>\(times)</fieldset>
            """
    }

    // MARK: One incident

    struct IncidentPage {
        let incident: Incident
        let tasks: [IncidentTask]
        let timeline: [TimelineEntry]
        let staff: [StaffUser]
        let now: Date
        var problems: [FieldProblem] = []
    }

    static func incident(_ view: ViewContext, _ page: IncidentPage) -> HTML {
        let incident = page.incident
        let names = Dictionary(uniqueKeysWithValues: page.staff.map { ($0.id, $0.displayName) })
        let overdue = page.tasks.filter { $0.isOverdue(at: page.now) }
        let statusForm: HTML =
            view.may(Routes.incidentStatus) && !incident.status.nextOptions.isEmpty
            ? """
            <form method="post" action="\(Routes.incidentStatus.path(id: incident.id))" class="inline">\(view.csrfField)
            <label for="status" class="visually-hidden">\(view.l("New status", "Uusi tila"))</label>
            <select id="status" name="status">\(incident.status.nextOptions.map { "<option value=\"\($0.rawValue)\">\(statusName($0, view))</option>" as HTML })</select>
            <input name="reason" placeholder="\(view.l("Reason (optional)", "Syy (valinnainen)"))" aria-label="\(view.l("Reason", "Syy"))">
            <button type="submit">\(view.l("Change status", "Vaihda tila"))</button></form>
            """ : .empty
        let times: [HTML] = [
            ("Occurred", "Tapahtui", incident.times.occurredAt), ("Detected", "Havaittu", incident.times.detectedAt),
            ("Became aware", "Tietoon tulo", incident.times.awareAt),
            ("Contained", "Rajattu", incident.times.containedAt),
            ("Resolved", "Ratkaistu", incident.times.resolvedAt),
        ].map { "<dt>\(view.l($0.0, $0.1))</dt><dd>\(FormTime.show($0.2))</dd>" }
        let roleRows: [HTML] = IncidentRole.allCases.map { role in
            let holder = incident.roles[role].flatMap { names[$0] } ?? "–"
            let form: HTML =
                view.may(Routes.incidentRole)
                ? """
                <form method="post" action="\(Routes.incidentRole.path(id: incident.id))" class="inline">\(view.csrfField)
                <input type="hidden" name="role" value="\(role.rawValue)">
                <select name="user" aria-label="\(roleName(role, view))">\(role == .commander ? .empty : "<option value=\"\">–</option>" as HTML)\(page.staff.map { "<option value=\"\($0.id)\"\(incident.roles[role] == $0.id ? " selected" as HTML : .empty)>\($0.displayName)</option>" as HTML })</select>
                <button type="submit" class="secondary">\(view.l("Assign", "Nimeä"))</button></form>
                """ : .empty
            return "<tr><td>\(roleName(role, view))</td><td>\(holder)</td><td>\(form)</td></tr>"
        }
        let taskRows: [HTML] = page.tasks.map { task in
            let late = task.isOverdue(at: page.now)
            let toggle: HTML =
                view.may(Routes.incidentTask)
                ? """
                <form method="post" action="\(Routes.incidentTask.path(["id": String(incident.id), "task": String(task.id)]))" class="inline">\(view.csrfField)
                <input type="hidden" name="done" value="\(task.doneAt == nil ? "1" : "0")">
                <button type="submit" class="secondary">\(task.doneAt == nil ? view.l("Done", "Valmis") : view.l("Reopen", "Avaa uudelleen"))</button></form>
                """ : .empty
            let checklist: [HTML] = task.checklist.map { "<li>\(view.text($0))</li>" }
            return """
                <tr class="\(late ? "overdue" : task.doneAt != nil ? "done" : "")"><td class="nowrap">\(FormTime.show(task.dueAt))\(late ? " <strong>\(view.l("overdue", "myöhässä"))</strong>" as HTML : .empty)</td>
                <td><details><summary>\(view.text(task.title))</summary><ul class="compact">\(checklist)</ul></details><span class="muted">\(task.playbookID) · \(task.phase.rawValue)</span></td>
                <td>\(roleName(task.owner, view))</td><td>\(task.doneAt.map { "✓ \(FormTime.show($0)) \(task.doneBy ?? "")" } ?? "")</td><td>\(toggle)</td></tr>
                """
        }
        let entries: [HTML] = page.timeline.reversed().map { entry in
            "<li><span class=\"nowrap muted\">\(FormTime.show(entry.happenedAt))</span>\(recorded(entry, view)) · \(entry.author) · <span class=\"badge\">\(entry.kind.rawValue)</span>\(entry.visibility == .publicReady ? " <span class=\"badge public\">\(view.l("public-ready", "julkaistavissa"))</span>" as HTML : .empty)<br>\(entry.text(in: view.language))</li>"
        }
        let entryForm: HTML =
            view.may(Routes.incidentEntry)
            ? """
            <form method="post" action="\(Routes.incidentEntry.path(id: incident.id))">\(view.csrfField)
            <label for="text">\(view.l("Add to the timeline", "Lisää aikajanalle"))</label>
            <textarea id="text" name="text" rows="3" required maxlength="10000"></textarea>
            <div class="filters"><label>\(view.l("Kind", "Laji")) <select name="kind"><option value="note">\(view.l("Note", "Muistiinpano"))</option><option value="decision">\(view.l("Decision", "Päätös"))</option><option value="notice">\(view.l("Notice sent", "Ilmoitus lähetetty"))</option></select></label>
            <label>\(view.l("Visibility", "Näkyvyys")) <select name="visibility"><option value="internal">\(view.l("Internal", "Sisäinen"))</option><option value="public_ready">\(view.l("Public-ready", "Julkaistavissa"))</option></select></label>
            <label>\(view.l("Happened at (UTC, if earlier)", "Tapahtui (UTC, jos aiemmin)")) <input type="datetime-local" name="occurred_at"></label></div>
            <button type="submit">\(view.l("Add", "Lisää"))</button></form>
            """ : .empty
        let edit: HTML =
            view.may(Routes.incidentUpdate)
            ? """
            <details\(page.problems.isEmpty ? .empty : " open" as HTML)><summary>\(view.l("Edit details and key times", "Muokkaa tietoja ja aikoja"))</summary>
            \(Layout.errors(page.problems.map { $0.description(in: view.language) }))
            <form method="post" action="\(Routes.incidentUpdate.path(id: incident.id))">\(view.csrfField)
            \(detailFields(view, draft: IncidentDraft(title: incident.title, summary: incident.summary, kinds: incident.kinds, severity: incident.severity, times: incident.times)))
            <button type="submit">\(view.t(.save))</button></form></details>
            """ : .empty
        return Layout.page(
            incident.reference,
            view,
            wide: true,
            body: """
                \(tabs(incident, view))
                \(overdue.isEmpty ? .empty : Layout.notice("error", view.l("\(overdue.count) task(s) overdue.", "\(overdue.count) tehtävää myöhässä.")))
                \(page.problems.isEmpty ? .empty : Layout.errors(page.problems.map { $0.description(in: view.language) }))
                <p>\(incident.summary)</p>
                <p>\(incident.kinds.map { kindName($0, view) }.joined(separator: ", ")) · \(view.l("declared", "julistettu")) \(FormTime.show(incident.declaredAt)) \(view.l("by", "/")) \(incident.declaredBy)</p>
                \(statusForm)
                <div class="columns"><section><h2>\(view.l("Key times", "Keskeiset ajat"))</h2><dl class="facts">\(times)</dl></section>
                <section><h2>\(view.l("Response team", "Vasteryhmä"))</h2><table><tbody>\(roleRows)</tbody></table></section></div>
                \(edit)
                <h2>\(view.l("Tasks", "Tehtävät")) <span class="muted">\(page.tasks.filter { $0.doneAt != nil }.count)/\(page.tasks.count)</span></h2>
                <table><thead><tr><th>\(view.l("Due", "Määräaika"))</th><th>\(view.l("Task", "Tehtävä"))</th><th>\(view.l("Owner", "Vastuu"))</th><th>\(view.l("Done", "Tehty"))</th><th></th></tr></thead>
                <tbody>\(taskRows)</tbody></table>
                <h2>\(view.l("Timeline", "Aikajana"))</h2>
                \(entryForm)
                <ol class="timeline">\(entries)</ol>
                """
        )
    }

    /// For an entry written after the fact: when it was recorded, beside when it happened.
    static func recorded(_ entry: TimelineEntry, _ view: ViewContext) -> HTML {
        guard entry.recordedLate else { return .empty }
        return " <span class=\"muted\">(\(view.l("recorded", "kirjattu")) \(FormTime.show(entry.at)))</span>"
    }
}
