import Foundation
import KilpiCore
import KilpiStore

/// The scope page: versions of the scope with their exposure and diff, and the form for a new version.
extension IncidentAnalysisViews {
    struct ScopePage {
        let incident: Incident
        let versions: [ScopeVersion]
        let systems: [DataSystem]
        let categories: [DataCategory]
        var problems: [FieldProblem] = []
        /// What is wrong with an uploaded customer list (field `customers`), located in the file.
        var listProblem: CSVError?
    }

    static func scope(_ view: ViewContext, _ page: ScopePage) -> HTML {
        let categoryNames = Dictionary(
            uniqueKeysWithValues: page.categories.map { ($0.id, view.l($0.nameEN, $0.nameFI)) }
        )
        let systemNames = Dictionary(uniqueKeysWithValues: page.systems.map { ($0.id, $0.name) })
        var body: HTML = Layout.errors(
            page.problems.map { $0.description(in: view.language) }
                + (page.listProblem.map { ["customers: \($0.description(in: view.language))"] } ?? [])
        )
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
}
