import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore
import NIOCore

/// Console pages of notice campaigns: an incident's campaigns and the form to create one, one campaign's progress
/// and controls, its recipients, and the letter-shop CSV of the customers no email reached.
extension NoticeController {
    static let recipientsPageSize = 100

    func registerCampaigns(_ routes: RouteRegistry) {
        routes.page(Routes.incidentCampaigns, .id) { request, context, id in
            guard let incident = try await services.store.incidents.find(id: id) else { return notFound(context) }
            return .html(
                NoticeViews.campaigns(Pages.viewContext(request, context, services), try await campaignsPage(incident))
            )
        }
        routes.form(Routes.incidentCampaignCreate, .id) { request, context, form, id in
            guard let incident = try await services.store.incidents.find(id: id) else { return notFound(context) }
            let (typed, input, problems) = Self.campaignInput(form)
            func refused(_ problems: [FieldProblem]) async throws -> Response {
                var page = try await campaignsPage(incident)
                page.form = typed
                page.problems = problems
                return .html(
                    NoticeViews.campaigns(
                        rerenderView(request, context, Routes.incidentCampaigns.path(id: incident.id)),
                        page
                    ),
                    status: .badRequest
                )
            }
            guard problems.isEmpty, let input else { return try await refused(problems) }
            do {
                let campaign = try await services.notices.createCampaign(
                    incidentID: incident.id,
                    scopeVersionID: input.scopeVersionID,
                    audience: input.audience,
                    followUpOf: input.followUpOf,
                    templateKey: input.templateKey,
                    settings: input.settings,
                    by: context.caller,
                    now: services.now
                )
                return .redirect(to: Routes.campaign.path(id: campaign.id))
            } catch let error as NoticeError {
                return try await refused(error.problems)
            }
        }
        routes.page(Routes.campaign, .id) { request, context, id in
            guard let (campaign, incident) = try await campaign(id) else { return notFound(context) }
            return .html(
                NoticeViews.campaign(
                    Pages.viewContext(request, context, services),
                    try await campaignPage(campaign, incident)
                )
            )
        }
        routes.form(Routes.campaignControl, .id) { request, context, form, id in
            guard let (campaign, incident) = try await campaign(id) else { return notFound(context) }
            let view = rerenderView(request, context, Routes.campaign.path(id: campaign.id))
            guard let action = form["action"].flatMap(NoticeViews.CampaignAction.init(rawValue:)) else {
                let choices = NoticeViews.CampaignAction.allCases.map(\.rawValue).joined(separator: ", ")
                var page = try await campaignPage(campaign, incident)
                page.problems = [
                    FieldProblem("action", .l("choose one of \(choices)", "valitse jokin näistä: \(choices)"))
                ]
                return .html(NoticeViews.campaign(view, page), status: .badRequest)
            }
            do {
                let (caller, now) = (context.caller, services.now)
                var retried: Int?
                switch action {
                case .start: _ = try await services.notices.start(campaignID: campaign.id, by: caller, now: now)
                case .pause: _ = try await services.notices.pause(campaignID: campaign.id, by: caller, now: now)
                case .resume: _ = try await services.notices.resume(campaignID: campaign.id, by: caller, now: now)
                case .cancel: _ = try await services.notices.cancel(campaignID: campaign.id, by: caller, now: now)
                case .retryFailed:
                    retried = try await services.notices.retryFailed(campaignID: campaign.id, by: caller, now: now)
                }
                guard let retried else { return .redirect(to: Routes.campaign.path(id: campaign.id)) }
                let fresh = try await services.store.campaigns.find(id: campaign.id) ?? campaign
                var page = try await campaignPage(fresh, incident)
                page.confirmation = view.l(
                    "\(retried) notice(s) queued again.",
                    "\(retried) ilmoitusta palautettiin jonoon."
                )
                return .html(NoticeViews.campaign(view, page))
            } catch let error as NoticeError {
                let fresh = try await services.store.campaigns.find(id: campaign.id) ?? campaign
                var page = try await campaignPage(fresh, incident)
                page.problems = error.problems
                return .html(NoticeViews.campaign(view, page), status: error.isNotFound ? .notFound : .conflict)
            }
        }
        routes.form(Routes.campaignLinksRevoke, .id) { request, context, form, id in
            guard let (campaign, incident) = try await campaign(id) else { return notFound(context) }
            let view = rerenderView(request, context, Routes.campaign.path(id: campaign.id))
            guard form["confirm"] == "yes" else {
                var page = try await campaignPage(campaign, incident)
                page.problems = [
                    FieldProblem(
                        "confirm",
                        .l(
                            "tick the box to confirm that every page of the campaign closes",
                            "vahvista valintaruudulla, että kampanjan kaikki sivut suljetaan"
                        )
                    )
                ]
                return .html(NoticeViews.campaign(view, page), status: .badRequest)
            }
            do {
                try await services.store.supportLinks.revokeCampaign(
                    campaignID: campaign.id,
                    by: context.caller,
                    now: services.now
                )
            } catch let error as NoticeError where error.isNotFound {
                return notFound(context)
            }
            // The page says when the pages were closed; a refresh does not post again.
            return .redirect(to: Routes.campaign.path(id: campaign.id))
        }
        routes.page(Routes.campaignRecipients, .id) { request, context, id in
            guard let (campaign, incident) = try await campaign(id) else { return notFound(context) }
            let query = request.uri.queryParameters
            var state: OutboxState?
            if let text = query.get("state"), !text.isEmpty {
                guard let parsed = OutboxState(rawValue: String(text)) else { return notFound(context) }
                state = parsed
            }
            let after = query.get("after").flatMap { Int64(String($0)) } ?? 0
            let rows = try await services.store.outbox.recipients(
                campaignID: campaign.id,
                state: state,
                after: max(0, after),
                limit: Self.recipientsPageSize
            )
            let view = Pages.viewContext(request, context, services)
            var externalIDs: [Int64: String]?
            var emails: [Int64: String]?
            if let user = view.user, AccessPolicy.shows(.customerIDs, to: user.role), !rows.isEmpty {
                let customers = try await services.store.customers.find(ids: rows.map(\.customerID))
                externalIDs = customers.mapValues(\.externalID)
                emails = customers.compactMapValues(\.email)
                // Who the recipients are is a view of affected customers' data: audited as the exposure page is.
                try await services.store.audit.append(
                    context.caller.event(
                        .exposureView,
                        target: "incident:\(incident.id)",
                        detail: "campaign:\(campaign.id) recipients: \(rows.count) shown"
                    ),
                    now: services.now
                )
            }
            return .html(
                NoticeViews.recipients(
                    view,
                    NoticeViews.RecipientsPage(
                        incident: incident,
                        campaign: campaign,
                        state: state,
                        rows: rows,
                        externalIDs: externalIDs,
                        emails: emails,
                        next: rows.count == Self.recipientsPageSize ? rows.last?.id : nil
                    )
                )
            )
        }
        // A POST with the session's CSRF token, as the exposure CSV: the download is audited, and a link another
        // site could make a browser follow must not copy the list.
        routes.form(Routes.campaignUnreachableCSV, .id) { _, context, _, id in
            guard let (campaign, incident) = try await campaign(id) else { return notFound(context) }
            let progress = try await services.store.outbox.progress(campaignID: campaign.id, now: services.now)
            try await services.store.audit.append(
                context.caller.event(
                    .exposureExport,
                    target: "incident:\(incident.id)",
                    detail: "campaign:\(campaign.id) unreachable: \(NoticeViews.unreachableCount(progress)) customers"
                ),
                now: services.now
            )
            let store = services.store
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: CSVWriter.line(Self.unreachableHeader)))
                // Skipped and bounced first, then the failed ones: every customer no email reached.
                for failed in [false, true] {
                    var after: Int64 = 0
                    while true {
                        let rows =
                            failed
                            ? try await store.outbox.recipients(
                                campaignID: campaign.id,
                                state: .failed,
                                after: after,
                                limit: 2000
                            )
                            : try await store.outbox.unreachable(campaignID: campaign.id, after: after, limit: 2000)
                        guard let last = rows.last else { break }
                        let customers = try await store.customers.find(ids: rows.map(\.customerID))
                        var chunk = ""
                        for row in rows {
                            chunk += CSVWriter.line(Self.unreachableLine(row, customers[row.customerID]))
                        }
                        try await writer.write(ByteBuffer(string: chunk))
                        after = last.id
                    }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition:
                        "attachment; filename=\"\(incident.reference)-campaign-\(campaign.id)-unreachable.csv\"",
                ],
                body: body
            )
        }
    }

    // MARK: Helpers

    static let unreachableHeader = [
        "external_id", "name", "email", "phone", "language", "country", "region", "reason", "last_reply",
    ]

    /// One letter-shop line; `CSVWriter` defuses cells a spreadsheet would read as formulas.
    static func unreachableLine(_ row: OutboxRow, _ customer: Customer?) -> [String] {
        let reason = row.skipReason?.rawValue ?? row.state.rawValue
        return [
            customer?.externalID ?? "", customer?.name ?? "", customer?.email ?? "", customer?.phone ?? "",
            customer?.language ?? row.language.rawValue, customer?.country ?? "", customer?.region ?? "", reason,
            row.lastReply ?? "",
        ]
    }

    func campaign(_ id: Int64) async throws -> (NoticeCampaign, Incident)? {
        guard let campaign = try await services.store.campaigns.find(id: id),
            let incident = try await services.store.incidents.find(id: campaign.incidentID)
        else { return nil }
        return (campaign, incident)
    }

    func rerenderView(_ request: Request, _ context: KilpiRequestContext, _ path: String) -> ViewContext {
        let view = Pages.viewContext(request, context, services)
        return ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: path
        )
    }

    func campaignsPage(_ incident: Incident) async throws -> NoticeViews.CampaignsPage {
        let campaigns = try await services.store.campaigns.list(incidentID: incident.id).sorted { $0.id > $1.id }
        var progress: [Int64: CampaignProgress] = [:]
        var timeToNotify: [Int64: TimeToNotify] = [:]
        for campaign in campaigns {
            progress[campaign.id] = try await services.store.outbox.progress(
                campaignID: campaign.id,
                now: services.now
            )
            timeToNotify[campaign.id] = try await services.store.outbox.timeToNotify(campaignID: campaign.id)
        }
        var sendable: [String] = []
        for key in NoticeTemplateVersion.keys
        where try await services.store.noticeTemplates.approved(key: key, language: .en) != nil {
            sendable.append(key)
        }
        return NoticeViews.CampaignsPage(
            incident: incident,
            campaigns: campaigns,
            progress: progress,
            scopes: try await services.store.scopes.versions(incidentID: incident.id).sorted {
                $0.version > $1.version
            },
            sendableKeys: sendable,
            timeToNotify: timeToNotify
        )
    }

    func campaignPage(_ campaign: NoticeCampaign, _ incident: Incident) async throws -> NoticeViews.CampaignPage {
        var templates: [Language: NoticeTemplateVersion] = [:]
        for (language, id) in campaign.templates {
            templates[language] = try await services.store.noticeTemplates.find(id: id)
        }
        let scopes = try await services.store.scopes.versions(incidentID: incident.id)
        return NoticeViews.CampaignPage(
            incident: incident,
            campaign: campaign,
            progress: try await services.store.outbox.progress(campaignID: campaign.id, now: services.now),
            timeToNotify: try await services.store.outbox.timeToNotify(campaignID: campaign.id),
            scopeVersion: scopes.first { $0.id == campaign.scopeVersionID }?.version ?? 0,
            templates: templates,
            linksRevokedAt: try await services.store.supportLinks.campaignRevokedAt(campaignID: campaign.id)
        )
    }

    /// What the create form asks of the service, once every field has parsed.
    struct CampaignInput {
        let scopeVersionID: Int64
        let audience: NoticeAudience
        let followUpOf: Int64?
        let templateKey: String
        let settings: NoticeCampaignSettings
    }

    /// Reads the create form: the typed values (to show again), the input when every field parsed, and a problem
    /// naming each field that did not.
    static func campaignInput(_ form: FormData) -> (NoticeViews.CampaignForm, CampaignInput?, [FieldProblem]) {
        var typed = NoticeViews.CampaignForm()
        var problems: [FieldProblem] = []
        typed.scopeVersionID = form["scope_version_id"] ?? ""
        typed.followUpOf = form["follow_up_of"] ?? ""
        typed.templateKey = form["template_key"] ?? NoticeTemplateVersion.generalKey
        typed.rate = form["rate"] ?? typed.rate
        typed.concurrency = form["concurrency"] ?? typed.concurrency
        typed.errorThreshold = form["error_threshold"] ?? typed.errorThreshold
        let scope = Int64(typed.scopeVersionID)
        if scope == nil {
            problems.append(FieldProblem("scope_version_id", .l("choose a scope version", "valitse laajuusversio")))
        }
        let audienceText = form["audience"] ?? NoticeAudience.all.rawValue
        if let audience = NoticeAudience(rawValue: audienceText) {
            typed.audience = audience
        } else {
            let choices = NoticeAudience.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(
                FieldProblem("audience", .l("choose one of \(choices)", "valitse jokin näistä: \(choices)"))
            )
        }
        var followUpOf: Int64?
        if !typed.followUpOf.isEmpty {
            followUpOf = Int64(typed.followUpOf)
            if followUpOf == nil {
                problems.append(FieldProblem("follow_up_of", .l("choose a campaign", "valitse kampanja")))
            }
        }
        func number(_ value: String, _ field: String) -> Double? {
            guard let parsed = Double(value.replacingOccurrences(of: ",", with: ".")), parsed.isFinite else {
                problems.append(FieldProblem(field, .l("\"\(value)\" is not a number", "\"\(value)\" ei ole luku")))
                return nil
            }
            return parsed
        }
        let rate = number(typed.rate, "rate")
        let concurrency = Int(typed.concurrency)
        if concurrency == nil {
            let text = typed.concurrency
            problems.append(
                FieldProblem("concurrency", .l("\"\(text)\" is not a whole number", "\"\(text)\" ei ole kokonaisluku"))
            )
        }
        let threshold = number(typed.errorThreshold, "error_threshold")
        guard let scope, let rate, let concurrency, let threshold, problems.isEmpty else {
            return (typed, nil, problems)
        }
        return (
            typed,
            CampaignInput(
                scopeVersionID: scope,
                audience: typed.audience,
                followUpOf: followUpOf,
                templateKey: typed.templateKey,
                settings: NoticeCampaignSettings(
                    ratePerSecond: rate,
                    concurrency: concurrency,
                    errorThreshold: threshold
                )
            ),
            []
        )
    }
}
