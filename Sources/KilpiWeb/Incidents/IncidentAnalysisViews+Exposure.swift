import Foundation
import KilpiCore
import KilpiStore

/// The affected customers of a scope version.
extension IncidentAnalysisViews {
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
}
