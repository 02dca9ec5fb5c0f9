import Foundation
import KilpiCore
import KilpiStore

/// An incident's notice campaigns, each with its progress in one line, and the form to create one.
extension NoticeViews {
    /// The create form as typed, so a refused form comes back with everything in it.
    struct CampaignForm: Sendable {
        var scopeVersionID: String = ""
        var audience: NoticeAudience = .all
        var followUpOf: String = ""
        var templateKey: String = NoticeTemplateVersion.generalKey
        var rate: String = "100"
        var concurrency: String = "4"
        var errorThreshold: String = "0.2"
    }

    struct CampaignsPage {
        let incident: Incident
        /// Newest first.
        let campaigns: [NoticeCampaign]
        let progress: [Int64: CampaignProgress]
        /// Newest first.
        let scopes: [ScopeVersion]
        /// Template keys with an approved English version (a campaign needs one).
        let sendableKeys: [String]
        /// Per campaign, from becoming aware to the mail server accepting each notice.
        var timeToNotify: [Int64: TimeToNotify] = [:]
        var form = CampaignForm()
        var problems: [FieldProblem] = []
    }

    static func campaigns(_ view: ViewContext, _ page: CampaignsPage) -> HTML {
        let incident = page.incident
        let versions = Dictionary(uniqueKeysWithValues: page.scopes.map { ($0.id, $0.version) })
        let rows: [HTML] = page.campaigns.map { campaign in
            let progress = page.progress[campaign.id]
            let sent = progress?.counts[.sent] ?? 0
            return """
                <tr><td><a href="\(Routes.campaign.path(id: campaign.id))">#\(campaign.id)</a></td><td>\(campaignBadge(campaign.state, view))</td>
                <td>v\(versions[campaign.scopeVersionID] ?? 0) · \(campaign.audience.name(view.language))\(campaign.followUpOf.map { " (#\($0))" } ?? "")</td>
                <td>\(keyName(campaign.templateKey, view))</td>
                <td class="num">\(sent) / \(campaign.recipients)</td><td class="num">\(page.timeToNotify[campaign.id].map { $0.count > 0 ? "\(duration($0.p50)) / \(duration($0.p90))" : "–" } ?? "–")</td><td class="num">\(campaign.skipped)</td><td class="num">\(campaign.englishFallback)</td>
                <td>\(FormTime.show(campaign.createdAt))</td></tr>
                """
        }
        let list: HTML =
            page.campaigns.isEmpty
            ? "<p>\(view.l("No campaign yet.", "Kampanjoita ei vielä ole."))</p>"
            : """
            <table><thead><tr><th>\(view.l("Campaign", "Kampanja"))</th><th>\(view.t(.status))</th><th>\(view.l("Scope and audience", "Laajuus ja kohderyhmä"))</th><th>\(view.l("Template", "Pohja"))</th>
            <th class="num">\(view.l("Sent", "Lähetetty"))</th><th class="num">\(view.l("Time to notify p50 / p90", "Aika ilmoitukseen p50 / p90"))</th><th class="num">\(view.l("No email", "Ei sähköpostia"))</th><th class="num">\(view.l("In English instead", "Englanniksi"))</th><th>\(view.t(.created))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(
            view.l("Notices", "Ilmoitukset"),
            view,
            wide: true,
            body: """
                \(IncidentViews.tabs(incident, view))
                \(Layout.errors(page.problems.map { $0.description(in: view.language) }))
                <h2>\(view.l("Notice campaigns", "Ilmoituskampanjat"))</h2>
                \(list)
                \(view.may(Routes.incidentCampaignCreate) ? createForm(view, page) : .empty)
                """
        )
    }

    private static func createForm(_ view: ViewContext, _ page: CampaignsPage) -> HTML {
        let form = page.form
        guard !page.scopes.isEmpty else {
            return Layout.notice(
                "info",
                view.l(
                    "Set the incident's scope first: a campaign tells the customers a scope version exposed.",
                    "Määritä ensin tapauksen laajuus: kampanja kertoo asiakkaille, joita laajuusversio koskee."
                )
            )
        }
        let scopeOptions: [HTML] = page.scopes.map { scope in
            "<option value=\"\(scope.id)\"\(form.scopeVersionID == String(scope.id) ? " selected" as HTML : .empty)>v\(scope.version) · \(scope.summary.customers) \(view.l("customers", "asiakasta"))</option>"
        }
        let audiences: [HTML] = NoticeAudience.allCases.map { audience in
            "<label class=\"check\"><input type=\"radio\" name=\"audience\" value=\"\(audience.rawValue)\"\(form.audience == audience ? " checked" as HTML : .empty)> \(audience.name(view.language))</label>"
        }
        let bases: [HTML] = page.campaigns.map { campaign in
            "<option value=\"\(campaign.id)\"\(form.followUpOf == String(campaign.id) ? " selected" as HTML : .empty)>#\(campaign.id) · \(campaign.audience.name(view.language))</option>"
        }
        let keys: [HTML] = NoticeTemplateVersion.keys.map { key in
            let sendable = page.sendableKeys.contains(key)
            return
                "<option value=\"\(key)\"\(form.templateKey == key ? " selected" as HTML : .empty)>\(keyName(key, view))\(sendable ? "" : " – \(view.l("no approved English version", "ei hyväksyttyä englanninkielistä versiota"))")</option>"
        }
        func field(_ name: String, _ label: String, _ value: String, _ hint: String) -> HTML {
            """
            <label for="\(name)">\(label)</label>\(problems(page.problems, for: name, view))
            <input id="\(name)" name="\(name)" value="\(value)" inputmode="decimal" required\(describedBy(page.problems, name))>
            <p class="hint">\(hint)</p>
            """
        }
        return """
            <h2>\(view.l("Create a campaign", "Luo kampanja"))</h2>
            <p class="hint">\(view.l("Creating makes one notice per recipient, ready to send; nothing goes out until someone starts it.", "Luominen tekee yhden ilmoituksen kullekin vastaanottajalle valmiiksi lähetettäväksi; mitään ei lähde ennen kuin joku käynnistää kampanjan."))</p>
            <form method="post" action="\(Routes.incidentCampaignCreate.path(id: page.incident.id))">\(view.csrfField)
            <label for="scope_version_id">\(view.l("Scope version", "Laajuusversio"))</label>\(problems(page.problems, for: "scope_version_id", view))
            <select id="scope_version_id" name="scope_version_id">\(scopeOptions)</select>
            <fieldset><legend>\(view.l("Audience", "Kohderyhmä"))</legend>\(problems(page.problems, for: "audience", view))\(audiences)
            <p class="hint">\(view.l("A follow-up reaches only the customers its base campaign (and the ones that base followed up) did not reach, or those with more data exposed than they were told about.", "Jatkokampanja tavoittaa vain ne asiakkaat, joita pohjakampanja (ja sen omat pohjat) ei tavoittanut, tai ne, joiden tietoja on vaarantunut enemmän kuin heille kerrottiin."))</p>
            <label for="follow_up_of">\(view.l("Follow-up of", "Jatkoa kampanjalle"))</label>\(problems(page.problems, for: "follow_up_of", view))
            <select id="follow_up_of" name="follow_up_of"><option value="">–</option>\(bases)</select></fieldset>
            <label for="template_key">\(view.l("Template", "Pohja"))</label>\(problems(page.problems, for: "template_key", view))
            <select id="template_key" name="template_key">\(keys)</select>
            \(field("rate", view.l("Messages per second", "Viestiä sekunnissa"), form.rate, view.l("Over every delivery worker together.", "Kaikki lähetysprosessit yhteensä.")))
            \(field("concurrency", view.l("SMTP connections", "SMTP-yhteyksiä"), form.concurrency, view.l("At once, 1 to 256.", "Yhtä aikaa, 1–256.")))
            \(field("error_threshold", view.l("Error threshold", "Virheraja"), form.errorThreshold, view.l("The share of bounced or failed notices (0 to 1) above which the campaign pauses itself; 0 turns it off.", "Palautuneiden tai epäonnistuneiden ilmoitusten osuus (0–1), jonka ylittyessä kampanja keskeytyy itsestään; 0 poistaa rajan käytöstä.")))
            <button type="submit">\(view.l("Create campaign", "Luo kampanja"))</button></form>
            """
    }
}
