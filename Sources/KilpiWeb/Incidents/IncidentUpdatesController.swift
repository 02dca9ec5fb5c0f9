import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// Console pages of an incident's updates for its customers (see `Routes.incidentUpdateRoutes`).
struct IncidentUpdatesController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.incidentUpdates, .id) { request, context, id in
            guard let incident = try await services.store.incidents.find(id: id) else { return notFound(context) }
            return .html(
                IncidentUpdatesViews.page(Pages.viewContext(request, context, services), try await page(incident))
            )
        }
        routes.form(Routes.incidentUpdateCreate, .id) { request, context, form, id in
            guard let incident = try await services.store.incidents.find(id: id) else { return notFound(context) }
            let typed = IncidentUpdatesViews.Form(
                language: form["language"].flatMap(Language.init(rawValue:)) ?? .en,
                title: form["title"] ?? "",
                body: form["body", trim: false] ?? ""
            )
            guard form["language"].flatMap(Language.init(rawValue:)) != nil else {
                return try await refused(
                    request,
                    context,
                    incident,
                    typed,
                    [FieldProblem("language", .l("choose fi, sv or en", "valitse fi, sv tai en"))]
                )
            }
            do {
                _ = try await services.store.posts.draft(
                    incidentID: incident.id,
                    language: typed.language,
                    title: typed.title,
                    body: typed.body,
                    by: context.caller,
                    now: services.now
                )
                return .redirect(to: Routes.incidentUpdates.path(id: incident.id))
            } catch let error as PostError {
                return try await refused(request, context, incident, typed, error.problems)
            }
        }
        routes.form(Routes.updatePublish, .id) { request, context, form, id in
            try await change(request, context, id) {
                try await services.store.posts.publish(
                    id: id,
                    seen: try PostConsoleController.seen(form),
                    by: $0,
                    now: $1
                )
            }
        }
        routes.form(Routes.updateWithdraw, .id) { request, context, _, id in
            try await change(request, context, id) { try await services.store.posts.withdraw(id: id, by: $0, now: $1) }
        }
    }

    private func change(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ id: Int64,
        _ body: (Caller, Date) async throws -> PublicPost
    ) async throws -> Response {
        guard let post = try await services.store.posts.find(id: id), let incidentID = post.incidentID,
            let incident = try await services.store.incidents.find(id: incidentID)
        else { return notFound(context) }
        do {
            _ = try await body(context.caller, services.now)
            services.publicPages.invalidate()
            return .redirect(to: Routes.incidentUpdates.path(id: incident.id))
        } catch let error as PostError {
            return try await refused(
                request,
                context,
                incident,
                IncidentUpdatesViews.Form(),
                error.problems,
                status: .conflict
            )
        }
    }

    private func refused(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ incident: Incident,
        _ form: IncidentUpdatesViews.Form,
        _ problems: [FieldProblem],
        status: HTTPResponse.Status = .badRequest
    ) async throws -> Response {
        var page = try await page(incident)
        page.form = form
        page.problems = problems
        let view = Pages.viewContext(request, context, services)
        let shown = ViewContext(
            language: view.language,
            user: view.user,
            csrfToken: view.csrfToken,
            demo: view.demo,
            path: Routes.incidentUpdates.path(id: incident.id)
        )
        return .html(IncidentUpdatesViews.page(shown, page), status: status)
    }

    private func page(_ incident: Incident) async throws -> IncidentUpdatesViews.Page {
        IncidentUpdatesViews.Page(
            incident: incident,
            posts: try await services.store.posts.all(incidentID: incident.id),
            names: Dictionary(
                try await services.store.users.all().map { ("user:\($0.id)", $0.displayName) },
                uniquingKeysWith: { first, _ in first }
            )
        )
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }
}
