import Foundation
import KilpiCore
import KilpiStore

/// Console pages of incidents: what the pages share. Each page is an extension in its own file: the list
/// (`IncidentViews+List`), the declare and edit fields (`+Form`), one incident (`+Detail`).
enum IncidentViews {
    static func kindName(_ kind: ThreatKind, _ view: ViewContext) -> String { view.l(kind.nameEN, kind.nameFI) }
    static func statusName(_ status: IncidentStatus, _ view: ViewContext) -> String {
        view.l(status.nameEN, status.nameFI)
    }
    static func roleName(_ role: IncidentRole, _ view: ViewContext) -> String { view.l(role.nameEN, role.nameFI) }

    /// What kind of timeline entry, as its badge says it.
    static func entryKindName(_ kind: TimelineEntry.Kind, _ view: ViewContext) -> String {
        switch kind {
        case .change: view.l("Change", "Muutos")
        case .note: view.l("Note", "Muistiinpano")
        case .decision: view.l("Decision", "Päätös")
        case .task: view.l("Task", "Tehtävä")
        case .notice: view.l("Notice sent", "Ilmoitus lähetetty")
        case .scope: view.l("Scope", "Laajuus")
        }
    }

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
            (Routes.incidentCampaigns, view.l("Notices", "Ilmoitukset")),
            (Routes.incidentUpdates, view.l("Updates", "Päivitykset")),
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

    /// For an entry written after the fact: when it was recorded, beside when it happened.
    static func recorded(_ entry: TimelineEntry, _ view: ViewContext) -> HTML {
        guard entry.recordedLate else { return .empty }
        return " <span class=\"muted\">(\(view.l("recorded", "kirjattu")) \(FormTime.show(entry.at)))</span>"
    }
}
