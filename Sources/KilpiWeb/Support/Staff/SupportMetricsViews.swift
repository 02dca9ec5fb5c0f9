import Foundation
import KilpiCore
import KilpiStore

/// The support metrics: first-response p50/p90 (calendar and business hours), the share of decided targets kept,
/// and the open backlog each day of the last two weeks. Each figure's definition is `SupportMetrics`'.
struct SupportMetricsQuery {
    let services: AppServices

    struct Metrics: Sendable {
        let inquiries: Int
        let firstResponse: SupportMetrics.ResponseTimes
        let firstResponseBusiness: SupportMetrics.ResponseTimes
        let firstResponseWithinTarget: Double?
        let resolutionWithinTarget: Double?
        let backlog: [SupportMetrics.BacklogPoint]
    }

    static let backlogDays = 14

    func load(incidentID: Int64?, now: Date) async throws -> Metrics {
        var rows: [SupportInboxQuery.Row] = []
        var before: Int64?
        let query = SupportInboxQuery(services: services)
        while true {
            let page = try await services.store.inquiries.list(
                InquiryFilter(incidentID: incidentID, beforeID: before, limit: 1_000)
            )
            rows += try await query.evaluate(page, now: now)
            guard page.count == 1_000, let last = page.last else { break }
            before = last.id
        }
        let times = try await services.store.inquiries.times(of: rows.map(\.inquiry))
        let all = rows.map { times[$0.inquiry.id] ?? InquiryTimes(createdAt: $0.inquiry.createdAt) }
        let zone = TimeZone(identifier: "Europe/Helsinki") ?? .gmt
        return Metrics(
            inquiries: rows.count,
            firstResponse: SupportMetrics.responseTimes(SupportMetrics.firstResponseTimes(all, now: now)),
            firstResponseBusiness: SupportMetrics.responseTimes(
                SupportMetrics.firstResponseTimes(all, clock: .business, calendar: .finnishOffice, now: now)
            ),
            firstResponseWithinTarget: SupportMetrics.shareWithinTarget(rows.map(\.sla.firstResponse.status)),
            resolutionWithinTarget: SupportMetrics.shareWithinTarget(rows.map(\.sla.resolution.status)),
            backlog: try SupportMetrics.openBacklog(
                all,
                from: now.addingTimeInterval(-Double(Self.backlogDays) * 86_400),
                to: now,
                step: .day,
                timeZone: zone
            )
        )
    }
}

enum SupportMetricsViews {
    static func duration(_ seconds: TimeInterval?) -> String {
        guard let seconds else { return "–" }
        let minutes = Int((seconds / 60).rounded())
        return minutes < 60 ? "\(minutes) min" : String(format: "%d h %02d min", minutes / 60, minutes % 60)
    }

    static func share(_ value: Double?) -> String {
        value.map { "\(Int(($0 * 100).rounded())) %" } ?? "–"
    }

    static func page(
        _ view: ViewContext,
        _ metrics: SupportMetricsQuery.Metrics,
        incidents: [Incident],
        incidentID: Int64?
    ) -> HTML {
        let options: [HTML] = incidents.map { incident in
            "<option value=\"\(incident.id)\"\(incidentID == incident.id ? " selected" as HTML : .empty)>\(incident.reference) \(incident.title)</option>"
        }
        let peak = max(1, metrics.backlog.map(\.open).max() ?? 1)
        let backlog: [HTML] = metrics.backlog.map { point in
            // A meter, not a styled bar: the CSP allows no inline styles.
            "<tr><td class=\"nowrap\">\(FormTime.show(point.at))</td><td>\(point.open)</td><td><meter min=\"0\" max=\"\(peak)\" value=\"\(point.open)\"></meter></td></tr>"
        }
        return Layout.page(
            view.l("Support metrics", "Tuen mittarit"),
            view,
            body: """
                <p><a href="\(Routes.supportInbox.path())">\(view.l("Support inbox", "Tuen saapuneet"))</a></p>
                <h1>\(view.l("Support metrics", "Tuen mittarit"))</h1>
                <form method="get" action="\(Routes.supportMetrics.path())" class="filters">
                <label for="incident">\(view.l("Incident", "Tapaus"))</label>
                <select id="incident" name="incident"><option value="">\(view.l("all", "kaikki"))</option>\(options)</select>
                <button type="submit">\(view.l("Show", "Näytä"))</button></form>
                <dl class="facts">
                <dt>\(view.l("Inquiries", "Kysymyksiä"))</dt><dd>\(metrics.inquiries)</dd>
                <dt>\(view.l("Answered", "Vastattu"))</dt><dd>\(metrics.firstResponse.count)</dd>
                <dt>\(view.l("First response p50 / p90", "Ensimmäinen vastaus p50 / p90"))</dt><dd>\(duration(metrics.firstResponse.p50)) / \(duration(metrics.firstResponse.p90))</dd>
                <dt>\(view.l("First response p50 / p90 in business hours", "Ensimmäinen vastaus p50 / p90 työaikana"))</dt><dd>\(duration(metrics.firstResponseBusiness.p50)) / \(duration(metrics.firstResponseBusiness.p90))</dd>
                <dt>\(view.l("First responses within target", "Ensimmäiset vastaukset tavoiteajassa"))</dt><dd>\(share(metrics.firstResponseWithinTarget))</dd>
                <dt>\(view.l("Resolutions within target", "Ratkaisut tavoiteajassa"))</dt><dd>\(share(metrics.resolutionWithinTarget))</dd>
                </dl>
                <h2>\(view.l("Open backlog, last 14 days", "Avoimet kysymykset, viimeiset 14 päivää"))</h2>
                <table><thead><tr><th>\(view.l("Time", "Aika"))</th><th>\(view.l("Open", "Avoinna"))</th><th></th></tr></thead><tbody>\(backlog)</tbody></table>
                """
        )
    }
}
