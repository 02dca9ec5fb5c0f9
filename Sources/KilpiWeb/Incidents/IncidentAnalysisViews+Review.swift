import Foundation
import KilpiCore
import KilpiStore

/// The printable post-incident review.
extension IncidentAnalysisViews {
    struct ReviewPage {
        let incident: Incident
        let tasks: [IncidentTask]
        let timeline: [TimelineEntry]
        let staff: [StaffUser]
        let latest: ScopeVersion?
        let now: Date
    }

    static func review(_ view: ViewContext, _ page: ReviewPage) -> HTML {
        let incident = page.incident
        let firstNotice = page.timeline.filter { $0.kind == .notice }.map(\.happenedAt).min()
        let metrics = ResponseMetrics(times: incident.times, firstNoticeAt: firstNotice)
        let names = Dictionary(uniqueKeysWithValues: page.staff.map { ($0.id, $0.displayName) })
        let roles: [HTML] = IncidentRole.allCases.compactMap { role in
            incident.roles[role].map {
                "<dt>\(IncidentViews.roleName(role, view))</dt><dd>\(names[$0] ?? "#\($0)")</dd>" as HTML
            }
        }
        let decisions: [HTML] = page.timeline.filter { $0.kind == .decision }.map {
            "<li><span class=\"muted\">\(FormTime.show($0.happenedAt)) · \($0.author)</span><br>\($0.text(in: view.language))</li>"
        }
        let timeline: [HTML] = page.timeline.map {
            "<tr><td class=\"nowrap\">\(FormTime.show($0.happenedAt))\(IncidentViews.recorded($0, view))</td><td>\($0.author)</td><td>\(IncidentViews.entryKindName($0.kind, view))</td><td>\($0.text(in: view.language))</td></tr>"
        }
        let done = page.tasks.filter { $0.doneAt != nil }
        let late = done.filter { $0.doneAt! > $0.dueAt }
        let open: [HTML] = page.tasks.filter { $0.doneAt == nil }.map {
            "<li>\(view.l($0.title)) <span class=\"muted\">(\(IncidentViews.roleName($0.owner, view)), \(view.l("due", "määräaika")) \(FormTime.show($0.dueAt)))</span></li>"
        }
        let lessons: HTML =
            view.may(Routes.incidentLessons)
            ? """
            <form method="post" action="\(Routes.incidentLessons.path(id: incident.id))">\(view.csrfField)
            <label for="lessons">\(view.l("Lessons learnt: what went well, what to improve, actions with owners", "Opit: mikä toimi, mitä parannetaan, toimenpiteet vastuineen"))</label>
            <textarea id="lessons" name="lessons" rows="10">\(incident.lessons)</textarea>
            <button type="submit">\(view.t(.save))</button></form>
            """ : "<p class=\"prewrap\">\(incident.lessons.isEmpty ? "–" : incident.lessons)</p>"
        return Layout.page(
            view.l("Post-incident review", "Jälkiarviointi") + " · " + incident.reference,
            view,
            wide: true,
            body: """
                \(IncidentViews.tabs(incident, view))
                <h2>\(view.l("Post-incident review", "Jälkiarviointi"))</h2>
                <p>\(incident.summary)</p>
                <dl class="facts">
                <dt>\(view.l("Time to detect", "Havaitsemisaika"))</dt><dd>\(ResponseMetrics.format(metrics.timeToDetect))</dd>
                <dt>\(view.l("Time to contain", "Rajaamisaika"))</dt><dd>\(ResponseMetrics.format(metrics.timeToContain))</dd>
                <dt>\(view.l("Time to notify", "Ilmoitusaika"))</dt><dd>\(ResponseMetrics.format(metrics.timeToNotify))</dd>
                <dt>\(view.l("Time to resolve", "Ratkaisuaika"))</dt><dd>\(ResponseMetrics.format(metrics.timeToResolve))</dd>
                <dt>\(view.l("Customers affected", "Asianomaiset asiakkaat"))</dt><dd>\(page.latest.map { String($0.summary.customers) } ?? "–")</dd>
                <dt>\(view.l("Tasks", "Tehtävät"))</dt><dd>\(done.count)/\(page.tasks.count) \(view.l("done", "tehty")), \(late.count) \(view.l("late", "myöhässä"))</dd>
                \(roles)
                </dl>
                <h3>\(view.l("Decisions", "Päätökset"))</h3>
                \(decisions.isEmpty ? "<p>–</p>" as HTML : "<ol>\(decisions)</ol>" as HTML)
                \(open.isEmpty ? .empty : "<h3>\(view.l("Tasks not done", "Tekemättömät tehtävät"))</h3><ul>\(open)</ul>" as HTML)
                <h3>\(view.l("Lessons learnt", "Opit"))</h3>
                \(lessons)
                <h3>\(view.l("Timeline", "Aikajana"))</h3>
                <table><tbody>\(timeline)</tbody></table>
                """
        )
    }
}
