import Foundation
import KilpiCore
import KilpiStore

/// A campaign's recipients, a page at a time, optionally of one state. Who they are (external id, email address)
/// is shown only to a role that sees customer data (`AccessPolicy.shows(.customerIDs, …)`); for others the columns
/// are left out, not emptied.
extension NoticeViews {
    struct RecipientsPage {
        let incident: Incident
        let campaign: NoticeCampaign
        let state: OutboxState?
        let rows: [OutboxRow]
        /// Customer id → external id; nil when the reader may not see who the customers are.
        let externalIDs: [Int64: String]?
        /// Customer id → email address; nil when the reader may not see them.
        let emails: [Int64: String]?
        /// The `after` of the next page, when there is one.
        let next: Int64?
    }

    static func recipients(_ view: ViewContext, _ page: RecipientsPage) -> HTML {
        let path = Routes.campaignRecipients.path(id: page.campaign.id)
        let filters: [HTML] = ([nil] + OutboxState.allCases.map { Optional($0) }).map { state in
            let label = state.map { stateName($0, view) } ?? view.l("All", "Kaikki")
            let href = state.map { "\(path)?state=\($0.rawValue)" } ?? path
            return state == page.state
                ? "<li><strong aria-current=\"page\">\(label)</strong></li>"
                : "<li><a href=\"\(href)\">\(label)</a></li>"
        }
        let who = page.externalIDs != nil
        let rows: [HTML] = page.rows.map { row in
            let identity: HTML =
                who
                ? "<td>\(page.externalIDs?[row.customerID] ?? "–")</td><td>\(page.emails?[row.customerID] ?? "–")</td>"
                : .empty
            return """
                <tr>\(identity)<td>\(stateName(row.state, view))\(row.skipReason.map { " (\(skipReasonName($0, view)))" } ?? "")</td>
                <td lang="\(row.language.tag)">\(row.language.name)\(row.englishFallback ? " *" : "")</td><td class="num">\(row.attempts)</td>
                <td>\(row.lastReply ?? "–")</td><td class="nowrap">\(FormTime.show(row.queuedAt))</td><td class="nowrap">\(FormTime.show(row.firstAttemptAt))</td>
                <td class="nowrap">\(FormTime.show(row.sentAt))</td><td class="nowrap">\(row.state == .deferred ? FormTime.show(row.nextAttemptAt) : "–")</td></tr>
                """
        }
        let nextLink: HTML? = page.next.map { after in
            let query = (page.state.map { "state=\($0.rawValue)&" } ?? "") + "after=\(after)"
            return "<p><a href=\"\(path)?\(query)\">\(view.l("Next page", "Seuraava sivu")) →</a></p>"
        }
        return Layout.page(
            "\(view.l("Recipients", "Vastaanottajat")) · #\(page.campaign.id)",
            view,
            wide: true,
            body: """
                \(IncidentViews.tabs(page.incident, view))
                <p class="muted"><a href="\(Routes.incidentCampaigns.path(id: page.incident.id))">\(view.l("Notices", "Ilmoitukset"))</a> › <a href="\(Routes.campaign.path(id: page.campaign.id))">#\(page.campaign.id)</a> › \(view.l("Recipients", "Vastaanottajat"))</p>
                <nav aria-label="\(view.t(.status))"><ul class="compact">\(filters)</ul></nav>
                \(who ? .empty : "<p class=\"muted\">\(view.l("Your role does not see who the customers are: only their notices' states.", "Roolisi ei näe, keitä asiakkaat ovat, vain heidän ilmoitustensa tilat."))</p>" as HTML)
                <table><thead><tr>\(who ? "<th>ID</th><th>\(view.t(.email))</th>" as HTML : .empty)<th>\(view.t(.status))</th><th>\(view.t(.language))</th><th class="num">\(view.l("Attempts", "Yrityksiä"))</th>
                <th>\(view.l("Last reply", "Viimeisin vastaus"))</th><th>\(view.l("Queued", "Jonossa"))</th><th>\(view.l("First attempt", "Ensimmäinen yritys"))</th><th>\(view.l("Sent", "Lähetetty"))</th><th>\(view.l("Next attempt", "Seuraava yritys"))</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                \(page.rows.isEmpty ? "<p>\(view.l("No recipients here.", "Täällä ei ole vastaanottajia."))</p>" as HTML : .empty)
                <p class="hint">* \(view.l("English, because the customer's own language has no approved template.", "Englanniksi, koska asiakkaan omalla kielellä ei ole hyväksyttyä pohjaa."))</p>
                \(nextLink)
                """
        )
    }
}
