import Foundation
import KilpiCore
import KilpiStore

/// How the inbox, the API and the dashboard load inquiries with their response-time targets. Filters and paging
/// run in SQL (`InquiryFilter`); the SLA clocks are read (`times(of:)`) and evaluated for the page only, so a page
/// costs the same with ten inquiries or ten thousand.
struct SupportInboxQuery {
    let services: AppServices
    static let policy = SLAPolicy(calendar: .finnishOffice, targets: .defaults)

    /// One listed inquiry: its row, its incident's severity and both targets now.
    struct Row: Sendable {
        let inquiry: Inquiry
        let incident: Incident?
        let sla: InquirySLA
    }

    /// A page of the filter's inquiries, evaluated at `now`.
    func rows(_ filter: InquiryFilter, now: Date) async throws -> [Row] {
        let inquiries = try await services.store.inquiries.list(filter)
        return try await evaluate(inquiries, now: now)
    }

    func evaluate(_ inquiries: [Inquiry], now: Date) async throws -> [Row] {
        guard !inquiries.isEmpty else { return [] }
        let times = try await services.store.inquiries.times(of: inquiries)
        var incidents: [Int64: Incident] = [:]
        for id in Set(inquiries.map(\.incidentID)) {
            incidents[id] = try await services.store.incidents.find(id: id)
        }
        return inquiries.map { inquiry in
            let incident = incidents[inquiry.incidentID]
            return Row(
                inquiry: inquiry,
                incident: incident,
                sla: Self.policy.evaluate(
                    times[inquiry.id] ?? InquiryTimes(createdAt: inquiry.createdAt),
                    severity: incident?.severity ?? .sev3,
                    now: now
                )
            )
        }
    }

    /// Inquiries not yet resolved whose targets are at the warning share or run out: the dashboard's figures.
    struct Escalations: Sendable, Equatable {
        var warning = 0
        var breached = 0
    }

    /// Counts the escalations over every unresolved inquiry, a page of 1,000 at a time.
    func escalations(now: Date) async throws -> Escalations {
        var result = Escalations()
        var before: Int64?
        while true {
            let page = try await services.store.inquiries.list(
                InquiryFilter(statuses: [.new, .open, .waitingForCustomer], beforeID: before, limit: 1_000)
            )
            for row in try await evaluate(page, now: now) {
                switch row.sla.highlight {
                case .breached: result.breached += 1
                case .warning: result.warning += 1
                default: break
                }
            }
            guard page.count == 1_000, let last = page.last else { break }
            before = last.id
        }
        return result
    }
}
