import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The support inbox in the console (see `Routes.supportStaff`): the list, a thread with the customer's exposure
/// beside it, reply, note, status and assignment, and the incident's FAQ and canned answers.
struct SupportInboxController {
    let services: AppServices

    static let pageSize = 50

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.supportInbox) { request, context in
            let query = request.uri.queryParameters
            var filter = SupportInboxViews.Filter()
            filter.incidentID = query.get("incident").flatMap { Int64(String($0)) }
            filter.status = query.get("status").flatMap { InquiryStatus(rawValue: String($0)) }
            if let assignee = query.get("assignee").map({ String($0) }), !assignee.isEmpty {
                filter.assignee = assignee == "none" ? .some(nil) : Int64(assignee).map { .some($0) }
            }
            filter.before = query.get("before").flatMap { Int64(String($0)) }
            let sql = InquiryFilter(
                incidentID: filter.incidentID,
                statuses: filter.status.map { [$0] },
                assigneeID: filter.assignee.flatMap { $0 },
                unassigned: filter.assignee == .some(nil),
                beforeID: filter.before,
                limit: Self.pageSize
            )
            let rows = try await SupportInboxQuery(services: services).rows(sql, now: services.now)
            var counted = sql
            counted.beforeID = nil
            let page = SupportInboxViews.Inbox(
                rows: rows,
                total: try await services.store.inquiries.count(counted),
                filter: filter,
                incidents: try await services.store.incidents.list(now: services.now).map(\.incident),
                staff: try await services.store.users.all(),
                next: rows.count == Self.pageSize ? rows.last?.inquiry.id : nil
            )
            return .html(SupportInboxViews.inbox(Pages.viewContext(request, context, services), page))
        }
        routes.page(Routes.supportMetrics) { request, context in
            let incidentID = request.uri.queryParameters.get("incident").flatMap { Int64(String($0)) }
            let metrics = try await SupportMetricsQuery(services: services).load(
                incidentID: incidentID,
                now: services.now
            )
            return .html(
                SupportMetricsViews.page(
                    Pages.viewContext(request, context, services),
                    metrics,
                    incidents: try await services.store.incidents.list(now: services.now).map(\.incident),
                    incidentID: incidentID
                )
            )
        }
        routes.page(Routes.supportInquiry, .id) { request, context, id in
            var replyText = ""
            if let canned = request.uri.queryParameters.get("canned").flatMap({ Int64(String($0)) }),
                let answer = try await services.store.supportAnswers.find(id: canned)
            {
                replyText = answer.answer
            }
            return try await threadPage(request, context, id, replyText: replyText)
        }
        routes.form(Routes.supportReply, .id) { request, context, form, id in
            let text = form["text", trim: false] ?? ""
            return try await act(request, context, id, keep: text) {
                try SupportReplyLinks.check(text)
                _ = try await services.staffSupport.reply(
                    inquiryID: id,
                    text: text,
                    by: context.caller,
                    now: services.now
                )
            }
        }
        routes.form(Routes.supportNote, .id) { request, context, form, id in
            try await act(request, context, id) {
                do {
                    _ = try await services.staffSupport.note(
                        inquiryID: id,
                        text: form["note", trim: false] ?? "",
                        by: context.caller,
                        now: services.now
                    )
                } catch let error as SupportError where error.problems.first?.field == "text" {
                    throw SupportError.renamed(error, to: "note")
                }
            }
        }
        routes.form(Routes.supportStatus, .id) { request, context, form, id in
            try await act(request, context, id) {
                guard let status = form["status"].flatMap(InquiryStatus.init(rawValue:)) else {
                    throw SupportError.field("status", .l("choose a status", "valitse tila"))
                }
                _ = try await services.staffSupport.setStatus(
                    inquiryID: id,
                    to: status,
                    by: context.caller,
                    now: services.now
                )
            }
        }
        routes.form(Routes.supportAssign, .id) { request, context, form, id in
            try await act(request, context, id) {
                let value = form["assignee"] ?? ""
                let assignee: Int64?
                if value == "none" {
                    assignee = nil
                } else if let id = Int64(value) {
                    assignee = id
                } else {
                    throw SupportError.field("assignee", .l("choose a staff member", "valitse henkilö"))
                }
                _ = try await services.staffSupport.assign(
                    inquiryID: id,
                    to: assignee,
                    by: context.caller,
                    now: services.now
                )
            }
        }
        routes.form(Routes.supportNoticeRevoke, .id) { request, context, _, id in
            try await act(request, context, id) {
                try await services.staffSupport.closeNoticePage(inquiryID: id, by: context.caller, now: services.now)
            }
        }
        SupportAnswersController(services: services).register(routes)
    }

    /// Runs a change and goes back to the thread; a refusal shows the thread again with the problem by its field.
    private func act(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ id: Int64,
        keep text: String = "",
        _ body: () async throws -> Void
    ) async throws -> Response {
        do {
            try await body()
            return .redirect(to: Routes.supportInquiry.path(id: id))
        } catch let error as SupportError {
            if error.isNotFound { return notFound(context) }
            return try await threadPage(
                request,
                context,
                id,
                replyText: text,
                problems: error.problems,
                status: error.problems.first?.field == "status" ? .conflict : .badRequest
            )
        }
    }

    private func threadPage(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ id: Int64,
        replyText: String,
        problems: [FieldProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let thread: InquiryThread
        do {
            thread = try await services.staffSupport.thread(inquiryID: id, by: context.caller, now: services.now)
        } catch let error as SupportError where error.isNotFound {
            return notFound(context)
        }
        let view = Pages.viewContext(request, context, services)
        let shown = ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: Routes.supportInquiry.path(id: id)
        )
        let row = try await SupportInboxQuery(services: services).evaluate([thread.inquiry], now: services.now)[0]
        var noticeClosed: Bool?
        if let outboxID = thread.inquiry.outboxID {
            noticeClosed = try await services.store.supportLinks.isNoticeRevoked(outboxID: outboxID)
        }
        let page = SupportInboxViews.Thread(
            thread: thread,
            row: row,
            staff: try await services.store.users.all(),
            exposure: try await exposure(thread.inquiry, context),
            categories: Dictionary(
                try await services.store.dataMap.categories().map { ($0.id, $0) },
                uniquingKeysWith: { first, _ in first }
            ),
            answers: try await services.store.supportAnswers.list(incidentID: thread.inquiry.incidentID),
            noticeClosed: noticeClosed,
            replyText: replyText,
            problems: problems
        )
        return .html(SupportInboxViews.thread(shown, page), status: status)
    }

    /// The customer's exposed categories in the incident's latest scope, for a role that sees customers; the view
    /// is audited like the exposure pages' (`exposure.view`).
    private func exposure(
        _ inquiry: Inquiry,
        _ context: KilpiRequestContext
    ) async throws -> (externalID: String, customerID: Int64, categories: [String])? {
        guard let customerID = inquiry.customerID, let role = context.session?.user.role,
            AccessPolicy.allows(role, .customerPII)
        else { return nil }
        guard let customer = try await services.store.customers.find(id: customerID) else { return nil }
        var categories: [String] = []
        if let scope = try await services.store.scopes.latest(incidentID: inquiry.incidentID),
            let exposed = try await services.store.scopes.exposedCustomers(
                scopeID: scope.id,
                after: customerID - 1,
                limit: 1
            ).first, exposed.customerID == customerID
        {
            categories = exposed.categories
        }
        try await services.store.audit.append(
            context.caller.event(
                .exposureView,
                target: "incident:\(inquiry.incidentID)",
                detail: "inquiry:\(inquiry.id) customer:\(customerID)"
            ),
            now: services.now
        )
        return (customer.externalID, customerID, categories)
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }
}

extension AppServices {
    /// The support use cases (the same ones the customer's page and the API call).
    var staffSupport: InquiryService { InquiryService(store: store) }
}

extension SupportError {
    static func field(_ field: String, _ message: LocalizedMessage) -> SupportError { refusing(field, message) }

    static func renamed(_ error: SupportError, to field: String) -> SupportError {
        refusing(field, error.problems.first?.message ?? .l("is not valid", "ei kelpaa"))
    }
}
