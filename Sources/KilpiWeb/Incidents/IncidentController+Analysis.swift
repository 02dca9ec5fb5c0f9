import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore
import NIOCore

extension IncidentController {
    func registerAnalysis(_ routes: RouteRegistry) {
        routes.page(Routes.incidentScope, .id) { request, context, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            return .html(
                IncidentAnalysisViews.scope(
                    Pages.viewContext(request, context, services),
                    try await scopePage(incident)
                )
            )
        }
        routes.upload(
            Routes.incidentScopeCreate,
            .id,
            maximumBytes: Self.maximumCustomerList,
            tooLarge: .l(
                "customers: the list is larger than \(Self.maximumCustomerList >> 20) MB",
                "customers: luettelo on suurempi kuin \(Self.maximumCustomerList >> 20) Mt"
            )
        ) { request, context, upload, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            var problems: [FieldProblem] = []
            var systems: [Int64] = []
            for value in upload.values("systems") {
                if let id = Int64(value) {
                    systems.append(id)
                } else {
                    problems.append(
                        FieldProblem(
                            "systems",
                            .l("\"\(value)\" is not a system id", "\"\(value)\" ei ole järjestelmätunnus")
                        )
                    )
                }
            }
            let start = FormTime.field(upload["window_start"]?.text, "window_start", into: &problems)
            let end = FormTime.field(upload["window_end"]?.text, "window_end", into: &problems)
            if upload["window_start"]?.text?.isEmpty ?? true {
                problems.append(
                    FieldProblem("window_start", .l("enter when the window starts", "anna ikkunan alkuhetki"))
                )
            }
            if upload["window_end"]?.text?.isEmpty ?? true {
                problems.append(FieldProblem("window_end", .l("enter when the window ends", "anna ikkunan loppuhetki")))
            }
            var listed: [String] = []
            // The list's problem names its line (and column) in the file, said in the reader's language by the page.
            var listProblem: CSVError?
            if let file = upload["customers"], let path = file.path, file.size > 0 {
                do {
                    listed = try CustomerIDList.parse(fileAt: path)
                } catch let error as CSVError {
                    listProblem = error
                }
            }
            let draft = ScopeDraft(
                systemIDs: systems,
                windowStart: start ?? .distantPast,
                windowEnd: end ?? .distantPast,
                categoryIDs: upload.values("categories"),
                customerExternalIDs: listed,
                note: (upload["note"]?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            )
            if problems.isEmpty && listProblem == nil {
                do {
                    _ = try await services.incidents.createScope(incidentID: incident.id, draft, by: context.caller)
                    return .redirect(to: Routes.incidentScope.path(id: incident.id))
                } catch let error as IncidentError {
                    problems = error.problems.isEmpty ? [error.problem(field: "scope")] : error.problems
                }
            }
            var view = Pages.viewContext(request, context, services)
            view = ViewContext(
                language: view.language,
                user: view.user,
                csrfToken: view.csrfToken,
                demo: view.demo,
                path: Routes.incidentScope.path(id: incident.id)
            )
            var page = try await scopePage(incident)
            page.problems = problems
            page.listProblem = listProblem
            return .html(IncidentAnalysisViews.scope(view, page), status: .badRequest)
        }
        routes.page(Routes.incidentExposure, .id) { request, context, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            let view = Pages.viewContext(request, context, services)
            let latest = try await services.store.scopes.latest(incidentID: incident.id)
            let after = request.uri.queryParameters.get("after", as: Int64.self) ?? 0
            let pageSize = 100
            var rows: [ExposedCustomer] = []
            if let latest {
                rows = try await services.store.scopes.exposedCustomers(
                    scopeID: latest.id,
                    after: after,
                    limit: pageSize
                )
            }
            let customers = try await services.store.customers.find(ids: rows.map(\.customerID))
            if let latest {
                try await audit(
                    context,
                    .exposureView,
                    incident.id,
                    "v\(latest.version): \(rows.count) customers shown"
                )
            }
            return .html(
                IncidentAnalysisViews.exposure(
                    view,
                    incident: incident,
                    version: latest,
                    rows: rows,
                    customers: customers,
                    categories: try await services.store.dataMap.categories(),
                    next: rows.count == pageSize ? rows.last?.customerID : nil
                )
            )
        }
        // A POST with the session's CSRF token: the download writes an audit entry, and a link another site could
        // make a browser follow must not copy every affected customer (nor fill the audit log).
        routes.form(Routes.incidentExposureCSV, .id) { _, context, _, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            let latest = try await services.store.scopes.latest(incidentID: incident.id)
            try await audit(
                context,
                .exposureExport,
                incident.id,
                latest.map { "v\($0.version): \($0.summary.customers) customers" } ?? "no scope"
            )
            let store = services.store
            // Streams in pages so a million affected customers never sit in memory at once.
            let body = ResponseBody { writer in
                try await writer.write(
                    ByteBuffer(
                        string: CSVWriter.line([
                            "external_id", "name", "email", "phone", "language", "country", "region", "categories",
                        ])
                    )
                )
                guard let latest else { return try await writer.finish(nil) }
                var after: Int64 = 0
                while true {
                    let rows = try await store.scopes.exposedCustomers(scopeID: latest.id, after: after, limit: 2000)
                    guard let last = rows.last else { break }
                    let customers = try await store.customers.find(ids: rows.map(\.customerID))
                    var chunk = ""
                    for row in rows {
                        let c = customers[row.customerID]
                        chunk += CSVWriter.line([
                            row.externalID, c?.name ?? "", c?.email ?? "", c?.phone ?? "", c?.language ?? "",
                            c?.country ?? "", c?.region ?? "", row.categories.joined(separator: ";"),
                        ])
                    }
                    try await writer.write(ByteBuffer(string: chunk))
                    after = last.customerID
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(incident.reference)-affected-customers.csv\"",
                ],
                body: body
            )
        }
        routes.page(Routes.incidentImpact, .id) { request, context, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            return .html(
                IncidentAnalysisViews.impact(
                    Pages.viewContext(request, context, services),
                    incident: incident,
                    affected: try await affected(incident),
                    assumptions: try await services.store.incidents.impactAssumptions(id: incident.id)
                )
            )
        }
        routes.form(Routes.incidentImpactUpdate, .id) { request, context, form, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            let (assumptions, problems) = Self.assumptions(
                form,
                base: try await services.store.incidents.impactAssumptions(id: incident.id)
            )
            do {
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                try await services.incidents.setImpactAssumptions(id: incident.id, assumptions, by: context.caller)
                return .redirect(to: Routes.incidentImpact.path(id: incident.id))
            } catch let error as IncidentError {
                return .html(
                    IncidentAnalysisViews.impact(
                        Pages.viewContext(request, context, services),
                        incident: incident,
                        affected: try await affected(incident),
                        assumptions: assumptions,
                        problems: error.problems
                    ),
                    status: .badRequest
                )
            }
        }
        routes.page(Routes.incidentReview, .id) { request, context, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            return .html(
                IncidentAnalysisViews.review(
                    Pages.viewContext(request, context, services),
                    IncidentAnalysisViews.ReviewPage(
                        incident: incident,
                        tasks: try await services.store.incidents.tasks(incidentID: incident.id),
                        timeline: try await services.store.incidents.timeline(incidentID: incident.id),
                        staff: try await services.store.users.all(),
                        latest: try await services.store.scopes.latest(incidentID: incident.id),
                        now: services.now
                    )
                )
            )
        }
        routes.form(Routes.incidentLessons, .id) { request, context, form, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            do {
                try await services.incidents.setLessons(
                    id: incident.id,
                    form["lessons", trim: false] ?? "",
                    by: context.caller
                )
            } catch let error as IncidentError {
                let message = error.message(in: context.language)
                return Pages.error(.badRequest, .badRequestTitle, message, context, services)
            }
            return .redirect(to: Routes.incidentReview.path(id: incident.id))
        }
    }

    func scopePage(_ incident: Incident) async throws -> IncidentAnalysisViews.ScopePage {
        IncidentAnalysisViews.ScopePage(
            incident: incident,
            versions: try await services.store.scopes.versions(incidentID: incident.id),
            systems: try await services.store.dataMap.summaries().map(\.system),
            categories: try await services.store.dataMap.categories()
        )
    }

    func affected(_ incident: Incident) async throws -> Int {
        try await services.store.scopes.latest(incidentID: incident.id)?.summary.customers ?? 0
    }

    /// Reads the impact form over the current assumptions; each bad number names its field.
    static func assumptions(_ form: FormData, base: ImpactAssumptions) -> (ImpactAssumptions, [FieldProblem]) {
        var a = base
        var problems: [FieldProblem] = []
        func number(_ name: String) -> Double? {
            guard
                let text = form[name]?.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ",", with: "."),
                !text.isEmpty
            else { return nil }
            guard let value = Double(text), value.isFinite else {
                let value = form[name] ?? ""
                problems.append(FieldProblem(name, .l("\"\(value)\" is not a number", "\"\(value)\" ei ole luku")))
                return nil
            }
            return value
        }
        func range(_ name: String, _ assumption: inout Assumption) {
            assumption.value = Range3(
                number("\(name).low") ?? assumption.value.low,
                number("\(name).likely") ?? assumption.value.likely,
                number("\(name).high") ?? assumption.value.high
            )
            if let source = form["\(name).source"] {
                if source.count > 1000 {
                    let maximum = 1000
                    problems.append(
                        FieldProblem(
                            "\(name).source",
                            .l("at most \(maximum) characters", "enintään \(maximum) merkkiä")
                        )
                    )
                } else {
                    assumption.source = source
                }
            }
        }
        if let currency = form["currency"] { a.currency = currency.uppercased() }
        if let turnover = number("annual_turnover") { a.annualTurnover = turnover }
        if let tier = form["fine_tier"] {
            if let parsed = FineTier(rawValue: tier) {
                a.fineTier = parsed
            } else {
                problems.append(
                    FieldProblem("fine_tier", .l("choose art83_4 or art83_5", "valitse art83_4 tai art83_5"))
                )
            }
        }
        range("cost_per_record", &a.costPerRecord)
        range("fine_share", &a.fineShare)
        range("notice_cost_per_customer", &a.noticeCostPerCustomer)
        range("support_contact_rate", &a.supportContactRate)
        range("support_cost_per_contact", &a.supportCostPerContact)
        range("churn_rate", &a.churnRate)
        range("customer_value", &a.customerValue)
        problems += a.problems()
        return (a, problems)
    }
}
