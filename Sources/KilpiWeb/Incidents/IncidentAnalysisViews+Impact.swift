import Foundation
import KilpiCore
import KilpiStore

/// The impact estimate and its assumptions form.
extension IncidentAnalysisViews {
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
}
