import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// Console pages of incidents: declaring, running (status, roles, tasks, timeline), scope and exposure,
/// impact and the post-incident review. Every change is audited and written to the incident's timeline.
struct IncidentController {
    let services: AppServices
    static let maximumCustomerList = 32 << 20

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.incidents) { request, context in
            .html(
                IncidentViews.list(
                    Pages.viewContext(request, context, services),
                    items: try await services.store.incidents.list(now: services.now),
                    staff: try await activeStaff()
                )
            )
        }
        routes.form(Routes.incidentCreate) { request, context, form in
            let view = Pages.viewContext(request, context, services)
            var (draft, problems) = Self.draft(form)
            let commander = form["commander"].flatMap { Int64($0) }
            if commander == nil {
                problems.append(
                    FieldProblem("commander", .l("choose the incident commander", "valitse tilannejohtaja"))
                )
            }
            do {
                guard problems.isEmpty, let commander else { throw IncidentError.invalid(problems) }
                let incident = try await services.incidents.declare(draft, commanderID: commander, by: context.caller)
                return .redirect(to: Routes.incident.path(id: incident.id))
            } catch let error as IncidentError where !error.isNotFound {
                return .html(
                    IncidentViews.list(
                        view,
                        items: try await services.store.incidents.list(now: services.now),
                        staff: try await activeStaff(),
                        draft: draft,
                        problems: error.problems.isEmpty ? [error.problem(field: "incident")] : error.problems
                    ),
                    status: .badRequest
                )
            }
        }
        routes.page(Routes.incident, .id) { request, context, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            return .html(
                IncidentViews.incident(Pages.viewContext(request, context, services), try await page(incident))
            )
        }
        routes.form(Routes.incidentUpdate, .id) { request, context, form, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            let (draft, problems) = Self.draft(form)
            return try await change(request, context, incident, problems: problems) {
                try await services.incidents.update(id: incident.id, draft, by: context.caller)
            }
        }
        routes.form(Routes.incidentStatus, .id) { request, context, form, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            guard let status = form["status"].flatMap(IncidentStatus.init(rawValue:)) else {
                let choices = incident.status.nextOptions.map(\.rawValue).joined(separator: ", ")
                return try await rerender(
                    request,
                    context,
                    incident,
                    [
                        FieldProblem(
                            "status",
                            .l("choose one of \(choices)", "valitse jokin näistä: \(choices)")
                        )
                    ]
                )
            }
            return try await change(request, context, incident) {
                try await services.incidents.setStatus(
                    id: incident.id,
                    to: status,
                    reason: form["reason"] ?? "",
                    by: context.caller
                )
            }
        }
        routes.form(Routes.incidentRole, .id) { request, context, form, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            guard let role = form["role"].flatMap(IncidentRole.init(rawValue:)) else {
                let choices = IncidentRole.allCases.map(\.rawValue).joined(separator: ", ")
                return try await rerender(
                    request,
                    context,
                    incident,
                    [
                        FieldProblem(
                            "role",
                            .l("choose one of \(choices)", "valitse jokin näistä: \(choices)")
                        )
                    ]
                )
            }
            let user = form["user"].flatMap { $0.isEmpty ? nil : Int64($0) }
            return try await change(request, context, incident) {
                try await services.incidents.assign(id: incident.id, role: role, userID: user, by: context.caller)
            }
        }
        routes.form(Routes.incidentEntry, .id) { request, context, form, id in
            guard let incident = try await incident(id) else { return notFound(context) }
            let kind = TimelineEntry.Kind(rawValue: form["kind"] ?? "note")
            let visibility = TimelineEntry.Visibility(rawValue: form["visibility"] ?? "internal")
            guard let kind, let visibility else {
                return try await rerender(
                    request,
                    context,
                    incident,
                    [FieldProblem(kind == nil ? "kind" : "visibility", .l("unknown value", "tuntematon arvo"))]
                )
            }
            var problems: [FieldProblem] = []
            let occurredAt = FormTime.field(form["occurred_at"], "occurred_at", into: &problems)
            return try await change(request, context, incident, problems: problems) {
                try await services.incidents.addEntry(
                    incidentID: incident.id,
                    kind: kind,
                    visibility: visibility,
                    text: form["text"] ?? "",
                    occurredAt: occurredAt,
                    by: context.caller
                )
            }
        }
        routes.form(Routes.incidentTask, .id, .task) { request, context, form, id, taskID in
            guard let incident = try await incident(id) else { return notFound(context) }
            return try await change(request, context, incident) {
                try await services.incidents.setTaskDone(
                    incidentID: incident.id,
                    taskID: taskID,
                    done: form["done"] != "0",
                    by: context.caller
                )
            }
        }
        registerAnalysis(routes)
    }

    // MARK: Helpers

    func incident(_ id: Int64) async throws -> Incident? {
        try await services.store.incidents.find(id: id)
    }

    func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }

    func activeStaff() async throws -> [StaffUser] {
        try await services.store.users.all().filter { $0.status == .active }.sorted { $0.displayName < $1.displayName }
    }

    func page(_ incident: Incident, problems: [FieldProblem] = []) async throws -> IncidentViews.IncidentPage {
        IncidentViews.IncidentPage(
            incident: incident,
            tasks: try await services.store.incidents.tasks(incidentID: incident.id),
            timeline: try await services.store.incidents.timeline(incidentID: incident.id),
            staff: try await activeStaff(),
            now: services.now,
            problems: problems,
            measures: try await services.store.measures.byTask(incidentID: incident.id)
        )
    }

    func audit(
        _ context: KilpiRequestContext,
        _ action: AuditAction,
        _ incidentID: Int64,
        _ detail: String
    ) async throws {
        try await services.store.audit.append(
            AuditEvent(
                actor: context.actor,
                action: action,
                target: "incident:\(incidentID)",
                ip: context.remoteIP,
                detail: detail
            ),
            now: services.now
        )
    }

    /// Runs a change; on success back to the incident page (post/redirect/get), on refusal the page again with
    /// the problems and a 400 (or 409 for a refused status move).
    func change(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ incident: Incident,
        problems: [FieldProblem] = [],
        _ body: () async throws -> Void
    ) async throws -> Response {
        guard problems.isEmpty else { return try await rerender(request, context, incident, problems) }
        do {
            try await body()
            return .redirect(to: Routes.incident.path(id: incident.id))
        } catch let error as IncidentError {
            let status: HTTPResponse.Status =
                error.isTransitionRefused ? .conflict : error.isNotFound ? .notFound : .badRequest
            return try await rerender(
                request,
                context,
                incident,
                error.problems.isEmpty
                    ? [error.problem(field: error.isTransitionRefused ? "status" : "request")] : error.problems,
                status: status
            )
        }
    }

    func rerender(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ incident: Incident,
        _ problems: [FieldProblem],
        status: HTTPResponse.Status = .badRequest
    ) async throws -> Response {
        let fresh = try await services.store.incidents.find(id: incident.id) ?? incident
        var view = Pages.viewContext(request, context, services)
        view = ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: Routes.incident.path(id: incident.id)
        )
        return .html(IncidentViews.incident(view, try await page(fresh, problems: problems)), status: status)
    }

    static func kinds(_ kinds: [ThreatKind]) -> String { kinds.map(\.rawValue).joined(separator: ",") }

    /// Reads the details form; every bad field becomes a problem that names it.
    static func draft(_ form: FormData) -> (IncidentDraft, [FieldProblem]) {
        var problems: [FieldProblem] = []
        let kinds = IncidentInput.kinds(form.values("kinds"), into: &problems)
        let severity = IncidentInput.severity(form["severity"] ?? "", into: &problems)
        let times = KeyTimes(
            occurredAt: FormTime.field(form["occurred_at"], "occurred_at", into: &problems),
            detectedAt: FormTime.field(form["detected_at"], "detected_at", into: &problems),
            awareAt: FormTime.field(form["aware_at"], "aware_at", into: &problems),
            containedAt: FormTime.field(form["contained_at"], "contained_at", into: &problems),
            resolvedAt: FormTime.field(form["resolved_at"], "resolved_at", into: &problems)
        )
        let draft = IncidentDraft(
            title: form["title"] ?? "",
            summary: form["summary"] ?? "",
            kinds: kinds,
            severity: severity ?? .sev3,
            times: times
        )
        do { try draft.validate() } catch { problems += error.problems }
        return (draft, problems)
    }
}
