import Foundation
import KilpiCore
import KilpiStore

/// The security measures register in the console: the list (overdue ones marked), the form for a new measure
/// (started from an incident task when `?task=` names one), and one measure with its form and, for trust-center
/// keepers, the switch that shows it publicly.
enum MeasureViews {
    /// The form's fields as typed, so a refused form comes back as it was sent.
    struct Form: Sendable {
        var fields: [String: String] = ["language": Language.en.rawValue, "status": "planned"]

        init() {}

        init(_ form: FormData) {
            fields = [:]
            for name in MeasureInput.fieldNames {
                // Bounded: the checks refuse what is too long, and a refused form need not echo megabytes.
                fields[name] = String((form[name] ?? "").prefix(MeasureInput.summaryLimit + 1_000))
            }
        }

        init(_ measure: SecurityMeasure) {
            fields = [
                "area": measure.area.rawValue, "language": measure.language.rawValue, "title": measure.title,
                "summary": measure.summary, "status": measure.status.rawValue,
                "owner": measure.ownerID.map(String.init) ?? "", "due_on": MeasureViews.day(measure.dueOn),
                "last_reviewed_on": MeasureViews.day(measure.lastReviewedOn),
                "performed_on": MeasureViews.day(measure.performedOn),
                "findings_total": measure.findings.map { String($0.total) } ?? "",
                "findings_closed": measure.findings.map { String($0.closed) } ?? "", "evidence": measure.evidence,
                "incident": measure.incidentID.map(String.init) ?? "", "task": measure.taskID.map(String.init) ?? "",
            ]
        }

        /// A new measure promised by an incident's task: its title to start from, the task's due day.
        init(task: IncidentTask, language: Language) {
            fields = [
                "area": SecurityMeasure.Area.other.rawValue, "language": language.rawValue,
                "title": String(task.title.text(in: language).prefix(MeasureInput.titleLimit)), "status": "planned",
                "due_on": MeasureViews.day(task.dueAt), "incident": String(task.incidentID), "task": String(task.id),
            ]
        }

        subscript(_ name: String) -> String { fields[name] ?? "" }
    }

    static func day(_ date: Date?) -> String { date.map { String(NoticeDate.minute($0).prefix(10)) } ?? "" }

    static func list(
        _ view: ViewContext,
        _ measures: [SecurityMeasure],
        staff: [StaffUser],
        now: Date,
        form: Form,
        problems: [FieldProblem]
    ) -> HTML {
        let names = Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0.displayName) })
        let rows: [HTML] = measures.map { measure in
            let late = measure.isOverdue(now: now)
            return """
                <tr class="\(late ? "overdue" : "")"><td><a href="\(Routes.measure.path(id: measure.id))">\(measure.title)</a>\(measure.isPublic ? " <span class=\"badge public\">\(view.l("public", "julkinen"))</span>" as HTML : .empty)</td>
                <td>\(measure.area.name(view.language))</td><td>\(measure.status.name(view.language))</td>
                <td>\(measure.ownerID.flatMap { names[$0] } ?? "–")</td>
                <td class="nowrap">\(day(measure.dueOn))\(late ? " <strong>\(view.l("overdue", "myöhässä"))</strong>" as HTML : .empty)</td>
                <td class="nowrap">\(day(measure.lastReviewedOn))</td>
                <td>\(measure.incidentID.map { "<a href=\"\(Routes.incident.path(id: $0))\">#\($0)</a>" as HTML } ?? .empty)</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p>\(view.l("No measure yet.", "Toimia ei vielä ole."))</p>"
            : """
            <table><thead><tr><th>\(view.l("Measure", "Toimi"))</th><th>\(view.l("Area", "Alue"))</th><th>\(view.l("Status", "Tila"))</th><th>\(view.l("Owner", "Vastuuhenkilö"))</th><th>\(view.l("Due", "Määräpäivä"))</th><th>\(view.l("Last reviewed", "Tarkistettu viimeksi"))</th><th>\(view.l("Incident", "Tapaus"))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        let adding: HTML =
            view.may(Routes.measureCreate)
            ? """
            <h2 id="add">\(view.l("Add a measure", "Lisää toimi"))</h2>
            \(fields(view, form, problems, staff: staff, action: Routes.measureCreate.path(), button: view.l("Add", "Lisää")))
            """ : .empty
        return Layout.page(
            view.t(.securityMeasures),
            view,
            body: """
                <h1>\(view.t(.securityMeasures))</h1>
                <p class="muted">\(view.l(
                    "What the company does to protect its customers' data, each with its owner, due day, status and last review. A measure promised after an incident starts from that incident's task and is tracked here until it is in place. The public trust center lists only the measures a trust-center keeper chooses to show.",
                    "Mitä yritys tekee asiakkaidensa tietojen suojaamiseksi, kullakin vastuuhenkilö, määräpäivä, tila ja viimeisin tarkistus. Tapauksen jälkeen luvattu toimi alkaa tapauksen tehtävästä ja sitä seurataan täällä, kunnes se on käytössä. Julkinen luottamuskeskus näyttää vain ne toimet, jotka luottamuskeskuksen ylläpitäjä päättää näyttää."
                ))</p>
                \(table)
                \(adding)
                """
        )
    }

    static func detail(
        _ view: ViewContext,
        _ measure: SecurityMeasure,
        staff: [StaffUser],
        form: Form?,
        problems: [FieldProblem]
    ) -> HTML {
        let shown = form ?? Form(measure)
        let visibility: HTML =
            view.may(Routes.measureVisibility)
            ? """
            <form method="post" action="\(Routes.measureVisibility.path(id: measure.id))" class="inline">\(view.csrfField)
            <input type="hidden" name="public" value="\(measure.isPublic ? "0" : "1")">
            <button type="submit">\(measure.isPublic ? view.l("Take off the trust center", "Poista luottamuskeskuksesta") : view.l("Show on the trust center", "Näytä luottamuskeskuksessa"))</button></form>
            """ : .empty
        let editing: HTML =
            view.may(Routes.measureUpdate)
            ? fields(
                view,
                shown,
                problems,
                staff: staff,
                action: Routes.measureUpdate.path(id: measure.id),
                button: view.l("Save", "Tallenna")
            ) : .empty
        let origin: HTML =
            measure.incidentID.map {
                "<p>\(view.l("Promised after incident", "Luvattu tapauksen jälkeen")) <a href=\"\(Routes.incident.path(id: $0))\">#\($0)</a></p>"
            } ?? .empty
        return Layout.page(
            measure.title,
            view,
            body: """
                <p><a href="\(Routes.measures.path())">\(view.t(.securityMeasures))</a></p>
                <h1>\(measure.title)</h1>
                <p><span class="badge">\(measure.area.name(view.language))</span> <span class="badge status">\(measure.status.name(view.language))</span> <span class="badge\(measure.isPublic ? " public" : "")">\(measure.isPublic ? view.l("public", "julkinen") : view.l("not public", "ei julkinen"))</span></p>
                \(origin)
                \(visibility)
                \(editing)
                """
        )
    }

    static func fields(
        _ view: ViewContext,
        _ form: Form,
        _ problems: [FieldProblem],
        staff: [StaffUser],
        action: String,
        button: String
    ) -> HTML {
        func options<T: RawRepresentable>(_ all: [T], _ field: String, _ name: (T) -> String) -> HTML
        where T.RawValue == String {
            HTML(
                unsafeRaw: all.map {
                    "<option value=\"\($0.rawValue)\"\(form[field] == $0.rawValue ? " selected" as HTML : .empty)>\(name($0))</option>"
                        as HTML
                }.map(\.rendered).joined()
            )
        }
        var owners: [HTML] = ["<option value=\"\">–</option>"]
        owners += staff.map {
            "<option value=\"\($0.id)\"\(form["owner"] == String($0.id) ? " selected" as HTML : .empty)>\($0.displayName)</option>"
        }
        func field(_ name: String) -> HTML { NoticeViews.problems(problems, for: name, view) }
        let known = Set(MeasureInput.fieldNames)
        return """
            \(Layout.errors(problems.filter { !known.contains($0.field) }.map { $0.description(in: view.language) }))
            <form method="post" action="\(action)" class="stack">\(view.csrfField)
            <input type="hidden" name="incident" value="\(form["incident"])"><input type="hidden" name="task" value="\(form["task"])">\(field("incident"))\(field("task"))
            <label>\(view.l("Area", "Alue"))\(field("area"))<select name="area">\(options(SecurityMeasure.Area.allCases, "area", { $0.name(view.language) }))</select></label>
            <label>\(view.l("Language of the text", "Tekstin kieli"))\(field("language"))<select name="language">\(options(Language.allCases, "language", { $0.name }))</select></label>
            <label>\(view.l("Title", "Otsikko"))\(field("title"))<input name="title" value="\(form["title"])" required maxlength="\(MeasureInput.titleLimit)"\(NoticeViews.describedBy(problems, "title"))></label>
            <label>\(view.l("What it does for the customers (public)", "Mitä se tekee asiakkaille (julkinen)"))\(field("summary"))<textarea name="summary" rows="4" required maxlength="\(MeasureInput.summaryLimit)"\(NoticeViews.describedBy(problems, "summary"))>\(form["summary"])</textarea></label>
            <label>\(view.l("Status", "Tila"))\(field("status"))<select name="status">\(options(SecurityMeasure.Status.allCases, "status", { $0.name(view.language) }))</select></label>
            <label>\(view.l("Owner", "Vastuuhenkilö"))\(field("owner"))<select name="owner">\(owners)</select></label>
            <label>\(view.l("Due", "Määräpäivä"))\(field("due_on"))<input name="due_on" type="date" value="\(form["due_on"])"></label>
            <label>\(view.l("Last reviewed", "Tarkistettu viimeksi"))\(field("last_reviewed_on"))<input name="last_reviewed_on" type="date" value="\(form["last_reviewed_on"])"></label>
            <fieldset><legend>\(view.l("Assessments, tests and exercises", "Arvioinnit, testit ja harjoitukset"))</legend>
            <label>\(view.l("Last carried out", "Tehty viimeksi"))\(field("performed_on"))<input name="performed_on" type="date" value="\(form["performed_on"])"></label>
            <label>\(view.l("Findings", "Havaintoja"))\(field("findings_total"))<input name="findings_total" inputmode="numeric" value="\(form["findings_total"])"></label>
            <label>\(view.l("of them closed", "niistä suljettu"))\(field("findings_closed"))<input name="findings_closed" inputmode="numeric" value="\(form["findings_closed"])"></label>
            </fieldset>
            <label>\(view.l("Evidence (never public: a report, a ticket, a link)", "Näyttö (ei koskaan julkinen: raportti, tiketti, linkki)"))\(field("evidence"))<textarea name="evidence" rows="2" maxlength="\(MeasureInput.evidenceLimit)">\(form["evidence"])</textarea></label>
            <button type="submit">\(button)</button>
            </form>
            """
    }
}
