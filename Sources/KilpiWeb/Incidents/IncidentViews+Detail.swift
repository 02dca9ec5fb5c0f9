import Foundation
import KilpiCore
import KilpiStore

/// One incident: its details, roles, status, tasks and timeline.
extension IncidentViews {
    struct IncidentPage {
        let incident: Incident
        let tasks: [IncidentTask]
        let timeline: [TimelineEntry]
        let staff: [StaffUser]
        let now: Date
        var problems: [FieldProblem] = []
        /// The security measures this incident's tasks promised, by task id.
        var measures: [Int64: SecurityMeasure] = [:]
    }

    /// A "strengthen security" task's measure: its state when one tracks it, else a link to start one.
    static func measureLink(_ task: IncidentTask, _ page: IncidentPage, _ view: ViewContext) -> HTML {
        if let measure = page.measures[task.id] {
            return """
                <br><a href="\(Routes.measure.path(id: measure.id))">\(view.l("Security measure", "Suojaustoimi")): \(measure.title)</a> <span class="badge">\(measure.status.name(view.language))</span>
                """
        }
        guard task.purpose == .securityHardening, view.may(Routes.measureCreate) else { return .empty }
        return
            "<br><a href=\"\(Routes.measures.path())?task=\(task.id)#add\">\(view.l("Track as a security measure", "Seuraa suojaustoimena"))</a>"
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
                <td><details><summary>\(view.text(task.title))</summary><ul class="compact">\(checklist)</ul></details><span class="muted">\(task.playbookID) · \(task.phase.rawValue)</span>\(measureLink(task, page, view))</td>
                <td>\(roleName(task.owner, view))</td><td>\(task.doneAt.map { "✓ \(FormTime.show($0)) \(task.doneBy ?? "")" } ?? "")</td><td>\(toggle)</td></tr>
                """
        }
        let entries: [HTML] = page.timeline.reversed().map { entry in
            "<li><span class=\"nowrap muted\">\(FormTime.show(entry.happenedAt))</span>\(recorded(entry, view)) · \(entry.author) · <span class=\"badge\">\(entryKindName(entry.kind, view))</span>\(entry.visibility == .publicReady ? " <span class=\"badge public\">\(view.l("public-ready", "julkaistavissa"))</span>" as HTML : .empty)<br>\(entry.text(in: view.language))</li>"
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
}
