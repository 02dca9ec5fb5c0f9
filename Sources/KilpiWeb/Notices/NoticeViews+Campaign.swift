import Foundation
import KilpiCore
import KilpiStore

/// One campaign: its progress per outbox state, time to notify, the templates it pinned, and its controls.
extension NoticeViews {
    struct CampaignPage {
        let incident: Incident
        let campaign: NoticeCampaign
        let progress: CampaignProgress
        /// Nil until the store can say (or nothing was sent yet: `count` 0).
        let timeToNotify: TimeToNotify?
        /// The scope version's number.
        let scopeVersion: Int
        /// Pinned template versions per language.
        let templates: [Language: NoticeTemplateVersion]
        /// When the campaign's support links and reference codes were revoked, if they were.
        let linksRevokedAt: Date?
        var problems: [FieldProblem] = []
        var confirmation: String?
    }

    /// A control of the campaign page: the `action` value the control route takes and its button.
    enum CampaignAction: String, CaseIterable, Sendable, Codable {
        case start, pause, resume, cancel
        case retryFailed = "retry_failed"

        func label(_ view: ViewContext) -> String {
            switch self {
            case .start: view.l("Start sending", "Aloita lähetys")
            case .pause: view.l("Pause", "Keskeytä")
            case .resume: view.l("Resume", "Jatka")
            case .cancel: view.l("Cancel the campaign", "Peru kampanja")
            case .retryFailed: view.l("Retry failed and bounced", "Yritä epäonnistuneita ja palautuneita uudelleen")
            }
        }

        /// The controls that make sense for a campaign in `state` with `progress`.
        static func available(_ state: NoticeCampaignState, _ progress: CampaignProgress) -> [CampaignAction] {
            var actions: [CampaignAction] =
                switch state {
                case .ready: [.start, .cancel]
                case .running: [.pause, .cancel]
                case .paused: [.resume, .cancel]
                case .cancelled, .completed: []
                }
            if state != .cancelled, (progress.counts[.failed] ?? 0) + (progress.counts[.bounced] ?? 0) > 0 {
                actions.append(.retryFailed)
            }
            return actions
        }
    }

    /// How many of the campaign's notices did not reach anyone by email (no address, bounced, failed).
    static func unreachableCount(_ progress: CampaignProgress) -> Int {
        [OutboxState.skipped, .bounced, .failed].reduce(0) { $0 + (progress.counts[$1] ?? 0) }
    }

    static func campaign(_ view: ViewContext, _ page: CampaignPage) -> HTML {
        let campaign = page.campaign
        let progress = page.progress
        let done = progress.total - progress.remaining
        let stateRows: [HTML] = OutboxState.allCases.map { state in
            let count = progress.counts[state] ?? 0
            let name: HTML =
                count > 0 && view.may(Routes.campaignRecipients)
                ? "<a href=\"\(Routes.campaignRecipients.path(id: campaign.id))?state=\(state.rawValue)\">\(stateName(state, view))</a>"
                : "\(stateName(state, view))"
            return "<tr><td>\(name)</td><td class=\"num\">\(count)</td></tr>"
        }
        let controls: [HTML] =
            view.may(Routes.campaignControl)
            ? CampaignAction.available(campaign.state, progress).map { action in
                """
                <form method="post" action="\(Routes.campaignControl.path(id: campaign.id))" class="inline">\(view.csrfField)
                <input type="hidden" name="action" value="\(action.rawValue)">
                <button type="submit"\(action == .cancel ? " class=\"secondary\"" as HTML : .empty)>\(action.label(view))</button></form>
                """
            } : []
        var timing: HTML =
            "<p class=\"muted\">\(view.l("Shown once notices have been sent.", "Näytetään, kun ilmoituksia on lähetetty."))</p>"
        if let ttn = page.timeToNotify, ttn.count > 0 {
            timing = """
                <dl class="facts"><dt>p50</dt><dd>\(duration(ttn.p50))</dd><dt>p90</dt><dd>\(duration(ttn.p90))</dd>
                <dt>\(view.l("Longest", "Pisin"))</dt><dd>\(duration(ttn.max))</dd>
                <dt>\(view.l("Measured from", "Mitattu alkaen"))</dt><dd>\(FormTime.show(ttn.measuredFrom))</dd></dl>
                <p class="hint">\(view.l("From when we became aware of the incident to the mail server accepting the notice, over \(ttn.count) notices sent.", "Siitä, kun saimme tiedon tapauksesta, siihen, kun postipalvelin otti ilmoituksen vastaan; \(ttn.count) lähetettyä ilmoitusta."))</p>
                """
        }
        let templates: [HTML] = Language.allCases.compactMap { language in
            guard let version = page.templates[language] else { return nil }
            return
                "<li><a href=\"\(editLink(key: version.key, language: language, version: version.version))\">\(language.name) · \(keyName(version.key, view)) v\(version.version)</a></li>"
        }
        let unreachable = unreachableCount(progress)
        let export: HTML =
            view.may(Routes.campaignUnreachableCSV) && unreachable > 0
            ? """
            <form method="post" action="\(Routes.campaignUnreachableCSV.path(id: campaign.id))">\(view.csrfField)
            <button type="submit" class="secondary">\(view.l("Download the \(unreachable) unreachable customers as CSV for a letter (audited)", "Lataa \(unreachable) tavoittamatonta asiakasta CSV-tiedostona kirjettä varten (kirjataan)"))</button></form>
            """ : .empty
        let links: HTML
        if let revoked = page.linksRevokedAt {
            links = """
                <h3>\(view.l("Customers' pages", "Asiakkaiden sivut"))</h3>
                <p>\(view.l("Closed \(FormTime.show(revoked)): the notices' links and reference codes no longer open a page.", "Suljettu \(FormTime.show(revoked)): ilmoitusten linkit ja viitekoodit eivät enää avaa sivua."))</p>
                """
        } else if view.may(Routes.campaignLinksRevoke) {
            links = """
                <h3>\(view.l("Customers' pages", "Asiakkaiden sivut"))</h3>
                <form method="post" action="\(Routes.campaignLinksRevoke.path(id: campaign.id))">\(view.csrfField)
                <p class="hint">\(view.l("If the notices' links leaked (a forwarded list, a compromised mailbox provider), close every page of this campaign at once: its links and reference codes stop working for good, and a new campaign gives customers new ones.", "Jos ilmoitusten linkit ovat vuotaneet (edelleen lähetetty lista, murrettu sähköpostipalvelu), sulje kampanjan kaikki sivut kerralla: linkit ja viitekoodit lakkaavat toimimasta pysyvästi, ja uusi kampanja antaa asiakkaille uudet."))</p>
                <label><input type="checkbox" name="confirm" value="yes" required> \(view.l("I understand that no customer of this campaign can open their page afterwards", "Ymmärrän, ettei yksikään tämän kampanjan asiakas voi sen jälkeen avata sivuaan"))</label>
                <button type="submit" class="danger">\(view.l("Revoke every link and code", "Mitätöi kaikki linkit ja koodit"))</button></form>
                """
        } else {
            links = .empty
        }
        let percent = progress.total > 0 ? done * 100 / progress.total : 100
        return Layout.page(
            "\(view.l("Campaign", "Kampanja")) #\(campaign.id)",
            view,
            wide: true,
            body: """
                \(IncidentViews.tabs(page.incident, view))
                <p class="muted"><a href="\(Routes.incidentCampaigns.path(id: page.incident.id))">\(view.l("Notices", "Ilmoitukset"))</a> › #\(campaign.id)</p>
                <h2>\(view.l("Campaign", "Kampanja")) #\(campaign.id) \(campaignBadge(campaign.state, view))</h2>
                \(page.confirmation.map { Layout.notice("ok", $0) })
                \(Layout.errors(page.problems.map { $0.description(in: view.language) }))
                <p>v\(page.scopeVersion) · \(campaign.audience.name(view.language))\(campaign.followUpOf.map { " · \(view.l("follow-up of", "jatkoa kampanjalle")) #\($0)" } ?? "") · \(keyName(campaign.templateKey, view)) · \(view.t(.created)) \(FormTime.show(campaign.createdAt))</p>
                <p class="big"><progress max="\(max(progress.total, 1))" value="\(done)">\(percent) %</progress> \(done) / \(progress.total) \(view.l("done", "valmiina"))</p>
                <p>\(view.l("Rate now", "Nopeus nyt")): \(String(format: "%.1f", progress.recentRate))/s · \(view.l("time left", "aikaa jäljellä")) \(duration(progress.estimatedSecondsLeft)) · \(view.l("in English instead of their own language", "englanniksi oman kielen sijaan")): \(progress.englishFallback)</p>
                \(controls)
                <div class="columns"><section><h3>\(view.l("Notices by state", "Ilmoitukset tiloittain"))</h3><table><tbody>\(stateRows)</tbody></table>
                \(view.may(Routes.campaignRecipients) ? "<p><a href=\"\(Routes.campaignRecipients.path(id: campaign.id))\">\(view.l("All recipients", "Kaikki vastaanottajat"))</a></p>" as HTML : .empty)
                \(export)\(links)</section>
                <section><h3>\(view.l("Time to notify", "Aika ilmoitukseen"))</h3>\(timing)
                <h3>\(view.l("Templates", "Pohjat"))</h3><ul class="compact">\(templates)</ul>
                <h3>\(view.l("Settings", "Asetukset"))</h3>
                <dl class="facts"><dt>\(view.l("Messages per second", "Viestiä sekunnissa"))</dt><dd>\(String(format: "%g", campaign.settings.ratePerSecond))</dd>
                <dt>\(view.l("SMTP connections", "SMTP-yhteyksiä"))</dt><dd>\(campaign.settings.concurrency)</dd>
                <dt>\(view.l("Error threshold", "Virheraja"))</dt><dd>\(String(format: "%g", campaign.settings.errorThreshold))</dd></dl></section></div>
                """
        )
    }
}
