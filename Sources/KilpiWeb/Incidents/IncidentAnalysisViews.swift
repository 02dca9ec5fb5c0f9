import Foundation
import KilpiCore
import KilpiStore

/// Console pages that analyse an incident: scope and exposure, affected customers, impact, review.
enum IncidentAnalysisViews {
    static func number(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = value < 10 ? 2 : 0
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.groupingSeparator = " "
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    // MARK: Scope

    struct ScopePage {
        let incident: Incident
        let versions: [ScopeVersion]
        let systems: [DataSystem]
        let categories: [DataCategory]
        var problems: [FieldProblem] = []
    }

    static func scope(_ view: ViewContext, _ page: ScopePage) -> HTML {
        let categoryNames = Dictionary(
            uniqueKeysWithValues: page.categories.map { ($0.id, view.l($0.nameEN, $0.nameFI)) }
        )
        let systemNames = Dictionary(uniqueKeysWithValues: page.systems.map { ($0.id, $0.name) })
        var body: HTML = Layout.errors(page.problems.map { $0.description(in: view.language) })
        if let latest = page.versions.first {
            let s = latest.summary
            let byCategory: [HTML] = s.byCategory.sorted { $0.value > $1.value }.map {
                "<tr><td>\(categoryNames[$0.key] ?? $0.key)</td><td>\($0.value)</td></tr>"
            }
            let bySensitivity: [HTML] = Sensitivity.allCases.reversed().compactMap { level in
                s.bySensitivity[level.rawValue].map { "<tr><td>\(level.rawValue)</td><td>\($0)</td></tr>" as HTML }
            }
            let byPlace: [HTML] = s.byPlace.sorted { $0.value > $1.value }.map {
                "<tr><td>\($0.key)</td><td>\($0.value)</td></tr>"
            }
            body =
                body + """
                    <h2>\(view.l("Exposure", "Altistuminen")) · v\(latest.version)</h2>
                    <p class="big"><strong>\(s.customers)</strong> \(view.l("customers affected", "asiakasta koskee")) · \(s.pairs) \(view.l("customer × category records", "asiakas × tietoluokka -tietuetta"))</p>
                    <p>\(latest.draft.systemIDs.map { systemNames[$0] ?? "#\($0)" }.joined(separator: ", ")) · \(FormTime.show(latest.draft.windowStart)) – \(FormTime.show(latest.draft.windowEnd))
                    \(latest.draft.categoryIDs.isEmpty ? .empty : " · \(view.l("known exposed", "tiedetysti paljastuneet")): \(latest.draft.categoryIDs.map { categoryNames[$0] ?? $0 }.joined(separator: ", "))" as HTML)
                    \(latest.listedCustomers > 0 ? " · \(view.l("limited to an uploaded list of", "rajattu ladattuun listaan:")) \(latest.listedCustomers)" as HTML : .empty)</p>
                    \(diff(view, latest, categoryNames))
                    <div class="columns">
                    <section><h3>\(view.l("By category", "Tietoluokittain"))</h3><table><tbody>\(byCategory)</tbody></table></section>
                    <section><h3>\(view.l("By highest sensitivity", "Arkaluonteisimman tiedon mukaan"))</h3><table><tbody>\(bySensitivity)</tbody></table>
                    <h3>\(view.l("By country and state", "Maittain ja osavaltioittain"))</h3><table><tbody>\(byPlace)</tbody></table></section>
                    </div>
                    """
        } else {
            body =
                body
                + Layout.notice(
                    "info",
                    view.l(
                        "No scope yet: choose the affected systems and the time window below.",
                        "Laajuutta ei vielä ole: valitse alta järjestelmät ja aikaikkuna."
                    )
                )
        }
        let rows: [HTML] = page.versions.map { v in
            """
            <tr><td>v\(v.version)</td><td class="nowrap">\(FormTime.show(v.createdAt))<br><span class="muted">\(v.createdBy)</span></td>
            <td>\(v.draft.systemIDs.map { systemNames[$0] ?? "#\($0)" }.joined(separator: ", "))</td>
            <td class="nowrap">\(FormTime.show(v.draft.windowStart))<br>\(FormTime.show(v.draft.windowEnd))</td>
            <td>\(v.draft.categoryIDs.isEmpty ? view.l("all held", "kaikki") : v.draft.categoryIDs.map { categoryNames[$0] ?? $0 }.joined(separator: ", "))</td>
            <td>\(v.summary.customers)\(v.diff.map { " (+\($0.added) / −\($0.removed))" } ?? "")</td><td>\(v.draft.note)</td></tr>
            """
        }
        if !rows.isEmpty {
            body =
                body + """
                    <h2>\(view.l("Versions", "Versiot"))</h2>
                    <table><thead><tr><th>v</th><th>\(view.l("Saved", "Tallennettu"))</th><th>\(view.l("Systems", "Järjestelmät"))</th><th>\(view.l("Window", "Aikaikkuna"))</th>
                    <th>\(view.l("Categories", "Tietoluokat"))</th><th>\(view.l("Customers", "Asiakkaat"))</th><th>\(view.l("Note", "Huomio"))</th></tr></thead><tbody>\(rows)</tbody></table>
                    """
        }
        if view.may(Routes.incidentScopeCreate) { body = body + form(view, page) }
        return Layout.page(
            view.l("Scope", "Laajuus") + " · " + page.incident.reference,
            view,
            wide: true,
            body: IncidentViews.tabs(page.incident, view) + body
        )
    }

    static func diff(_ view: ViewContext, _ version: ScopeVersion, _ names: [String: String]) -> HTML {
        guard let diff = version.diff else { return .empty }
        let sample: HTML =
            view.user.map { AccessPolicy.shows(.customerIDs, to: $0.role) } == true && !diff.addedSample.isEmpty
            ? "<p class=\"muted\">\(view.l("Added, first", "Lisätyt, ensimmäiset")) \(diff.addedSample.count): \(diff.addedSample.joined(separator: ", "))</p>"
            : .empty
        return """
            <div class="notice info"><strong>\(view.l("Changed since", "Muutos versioon")) v\(version.version - 1):</strong>
            +\(diff.added) \(view.l("added", "lisätty")), −\(diff.removed) \(view.l("removed", "poistettu")), \(diff.widened) \(view.l("with more categories", "laajeni")), \(diff.narrowed) \(view.l("with fewer", "supistui"))
            \(diff.newCategories.isEmpty ? .empty : "<br>\(view.l("Newly exposed categories", "Uudet paljastuneet tietoluokat")): \(diff.newCategories.map { names[$0] ?? $0 }.joined(separator: ", "))" as HTML)</div>
            \(sample)
            """
    }

    static func form(_ view: ViewContext, _ page: ScopePage) -> HTML {
        let latest = page.versions.first?.draft
        let systems: [HTML] = page.systems.map { system in
            "<label class=\"check\"><input type=\"checkbox\" name=\"systems\" value=\"\(system.id)\"\(latest?.systemIDs.contains(system.id) == true ? " checked" as HTML : .empty)> \(system.name)</label>"
        }
        let categories: [HTML] = page.categories.map { category in
            "<label class=\"check\"><input type=\"checkbox\" name=\"categories\" value=\"\(category.id)\"\(latest?.categoryIDs.contains(category.id) == true ? " checked" as HTML : .empty)> \(view.l(category.nameEN, category.nameFI))</label>"
        }
        let start = latest?.windowStart ?? page.incident.times.occurredAt ?? page.incident.declaredAt
        let end = latest?.windowEnd ?? page.incident.times.containedAt ?? page.incident.declaredAt
        return """
            <h2>\(view.l("New scope version", "Uusi laajuusversio"))</h2>
            <form method="post" action="\(Routes.incidentScopeCreate.path(id: page.incident.id))" enctype="multipart/form-data">\(view.csrfField)
            <fieldset><legend>\(view.l("Affected systems", "Vaikutuksen alaiset järjestelmät"))</legend>\(systems)</fieldset>
            <div class="filters"><label for="window_start">\(view.l("Window start (UTC)", "Aikaikkuna alkaa (UTC)"))<input id="window_start" name="window_start" type="datetime-local" value="\(FormTime.inputValue(start))" required></label>
            <label for="window_end">\(view.l("Window end (UTC)", "Aikaikkuna päättyy (UTC)"))<input id="window_end" name="window_end" type="datetime-local" value="\(FormTime.inputValue(end))" required></label></div>
            <fieldset><legend>\(view.l("Categories known to be exposed (none ticked: everything held there)", "Tiedetysti paljastuneet tietoluokat (ei valintaa: kaikki siellä olleet)"))</legend>\(categories)</fieldset>
            <label for="customers">\(view.l("Customers known to be affected (optional CSV with header external_id)", "Tiedetysti asianomaiset asiakkaat (valinnainen CSV, otsikko external_id)"))</label>
            <input id="customers" name="customers" type="file" accept=".csv,text/csv">
            <label for="note">\(view.l("What we learnt (why this version)", "Mitä opimme (miksi tämä versio)"))</label>
            <input id="note" name="note" maxlength="2000">
            <button type="submit">\(view.l("Save and compute exposure", "Tallenna ja laske altistuminen"))</button>
            </form>
            """
    }

    // MARK: Affected customers

    static func exposure(
        _ view: ViewContext,
        incident: Incident,
        version: ScopeVersion?,
        rows: [ExposedCustomer],
        customers: [Int64: Customer],
        categories: [DataCategory],
        next: Int64?
    ) -> HTML {
        let names = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, view.l($0.nameEN, $0.nameFI)) })
        guard let version else {
            return Layout.page(
                view.l("Affected customers", "Asianomaiset asiakkaat"),
                view,
                wide: true,
                body: IncidentViews.tabs(incident, view)
                    + Layout.notice("info", view.l("No scope yet.", "Laajuutta ei vielä ole."))
            )
        }
        let list: [HTML] = rows.map { row in
            let customer = customers[row.customerID]
            return
                "<tr><td><a href=\"\(Routes.customer.path(id: row.customerID))\">\(row.externalID)</a></td><td>\(customer?.name ?? "–")</td><td>\(customer?.email ?? "–")</td><td>\(customer.map { $0.region.isEmpty ? $0.country : "\($0.country)-\($0.region)" } ?? "")</td><td>\(customer?.language ?? "")</td><td>\(row.categories.map { names[$0] ?? $0 }.joined(separator: ", "))</td></tr>"
        }
        return Layout.page(
            view.l("Affected customers", "Asianomaiset asiakkaat"),
            view,
            wide: true,
            body: """
                \(IncidentViews.tabs(incident, view))
                <p>v\(version.version) · \(version.summary.customers) \(view.l("customers", "asiakasta"))</p>
                \(view.may(Routes.incidentExposureCSV) ? "<form method=\"post\" action=\"\(Routes.incidentExposureCSV.path(id: incident.id))\">\(view.csrfField)<button type=\"submit\">\(view.l("Download all as CSV (audited)", "Lataa kaikki CSV-tiedostona (kirjataan)"))</button></form>" as HTML : .empty)
                <table><thead><tr><th>ID</th><th>\(view.t(.displayName))</th><th>\(view.t(.email))</th><th>\(view.t(.country))</th><th>\(view.t(.language))</th><th>\(view.l("Exposed data", "Paljastuneet tiedot"))</th></tr></thead>
                <tbody>\(list)</tbody></table>
                \(next.map { "<p><a href=\"\(Routes.incidentExposure.path(id: incident.id))?after=\($0)\">\(view.l("Next page", "Seuraava sivu")) →</a></p>" as HTML })
                """
        )
    }

    // MARK: Impact

    static func impact(
        _ view: ViewContext,
        incident: Incident,
        affected: Int,
        assumptions: ImpactAssumptions,
        problems: [FieldProblem] = []
    ) -> HTML {
        let estimate = ImpactEstimate(affectedCustomers: affected, assumptions: assumptions)
        let lineNames: [String: (String, String)] = [
            "records": ("Handling cost per affected customer", "Käsittelykustannus asiakasta kohden"),
            "fine": ("Regulatory fine exposure", "Sakkoriski"),
            "notification": ("Notifying customers", "Asiakkaiden tiedottaminen"), "support": ("Support", "Asiakastuki"),
            "churn": ("Customers lost (churn)", "Menetetyt asiakkaat"),
        ]
        let lines: [HTML] = estimate.lines.map { line in
            let name = lineNames[line.key].map { view.l($0.0, $0.1) } ?? line.key
            return
                "<tr><td>\(name)<br><span class=\"muted\">\(line.formula)</span></td><td class=\"num\">\(number(line.value.low))</td><td class=\"num\">\(number(line.value.likely))</td><td class=\"num\">\(number(line.value.high))</td></tr>"
        }
        let fields: [HTML] = assumptions.namedAssumptions.map { name, assumption in
            """
            <tr><td><code>\(name)</code></td>
            <td><input name="\(name).low" value="\(number(assumption.value.low).replacingOccurrences(of: " ", with: ""))" inputmode="decimal" aria-label="\(name) low"></td>
            <td><input name="\(name).likely" value="\(number(assumption.value.likely).replacingOccurrences(of: " ", with: ""))" inputmode="decimal" aria-label="\(name) likely"></td>
            <td><input name="\(name).high" value="\(number(assumption.value.high).replacingOccurrences(of: " ", with: ""))" inputmode="decimal" aria-label="\(name) high"></td>
            <td><textarea name="\(name).source" rows="2" aria-label="\(name) source">\(assumption.source)</textarea></td></tr>
            """
        }
        let editable = view.may(Routes.incidentImpactUpdate)
        let tiers: [HTML] = FineTier.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == assumptions.fineTier ? " selected" as HTML : .empty)>\($0 == .article83_4 ? "GDPR Art. 83(4): EUR 10 M / 2 %" : "GDPR Art. 83(5): EUR 20 M / 4 %")</option>"
        }
        return Layout.page(
            view.l("Impact", "Vaikutukset") + " · " + incident.reference,
            view,
            wide: true,
            body: """
                \(IncidentViews.tabs(incident, view))
                <p>\(view.l("An estimate from the latest scope's affected customers and the assumptions below. Every figure is a range; change any assumption to fit your company.", "Arvio viimeisimmän laajuuden asiakasmäärästä ja alla olevista oletuksista. Jokainen luku on vaihteluväli; muuta oletuksia yrityksenne mukaan."))</p>
                <p><strong>\(affected)</strong> \(view.l("affected customers", "asianomaista asiakasta")) · \(assumptions.currency)</p>
                <table><thead><tr><th></th><th class="num">\(view.l("Low", "Matala"))</th><th class="num">\(view.l("Likely", "Todennäköinen"))</th><th class="num">\(view.l("High", "Korkea"))</th></tr></thead>
                <tbody>\(lines)<tr class="total"><td><strong>\(view.l("Total", "Yhteensä"))</strong></td><td class="num"><strong>\(number(estimate.total.low))</strong></td><td class="num"><strong>\(number(estimate.total.likely))</strong></td><td class="num"><strong>\(number(estimate.total.high))</strong></td></tr></tbody></table>
                <h2>\(view.l("Assumptions and sources", "Oletukset ja lähteet"))</h2>
                \(Layout.errors(problems.map { $0.description(in: view.language) }))
                <form method="post" action="\(Routes.incidentImpactUpdate.path(id: incident.id))">\(view.csrfField)
                <div class="filters"><label>\(view.l("Currency", "Valuutta")) <input name="currency" value="\(assumptions.currency)" maxlength="3"></label>
                <label>\(view.l("Annual worldwide turnover", "Maailmanlaajuinen vuosiliikevaihto")) <input name="annual_turnover" value="\(String(Int(assumptions.annualTurnover)))" inputmode="decimal"></label>
                <label>\(view.l("Fine tier", "Sakkoluokka")) <select name="fine_tier">\(tiers)</select></label></div>
                <table><thead><tr><th>\(view.l("Assumption", "Oletus"))</th><th>\(view.l("Low", "Matala"))</th><th>\(view.l("Likely", "Todennäköinen"))</th><th>\(view.l("High", "Korkea"))</th><th>\(view.l("Source", "Lähde"))</th></tr></thead>
                <tbody>\(fields)</tbody></table>
                \(editable ? "<button type=\"submit\">\(view.t(.save))</button>" as HTML : .empty)
                </form>
                """
        )
    }

    // MARK: Review

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
            "<tr><td class=\"nowrap\">\(FormTime.show($0.happenedAt))\(IncidentViews.recorded($0, view))</td><td>\($0.author)</td><td>\($0.kind.rawValue)</td><td>\($0.text(in: view.language))</td></tr>"
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
