import Foundation
import KilpiCore
import KilpiStore

/// The incident list, with the declare form for those who may declare.
extension IncidentViews {
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
}
