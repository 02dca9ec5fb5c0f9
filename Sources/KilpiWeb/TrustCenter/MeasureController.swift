import Foundation
import HTTPTypes
import Hummingbird
import KilpiCore
import KilpiStore

/// The security measures register in the console, and its public page and JSON (see `Routes.trustCenterMeasures`).
/// Every change that can alter the public page clears the public page cache.
struct MeasureController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.measures) { request, context in
            var form = MeasureViews.Form()
            if let id = request.uri.queryParameters.get("task").flatMap({ Int64(String($0)) }),
                let task = try await services.store.incidents.task(id: id)
            {
                form = MeasureViews.Form(task: task, language: context.language)
            }
            return try await list(request, context, form: form, problems: [])
        }
        routes.form(Routes.measureCreate) { request, context, form in
            let typed = MeasureViews.Form(form)
            let checked = MeasureInput.checked(typed.fields)
            guard let input = checked.input else {
                return try await list(request, context, form: typed, problems: checked.problems)
            }
            do {
                let made = try await services.store.measures.create(input, by: context.caller, now: services.now)
                return .redirect(to: Routes.measure.path(id: made.id))
            } catch let error as MeasureError {
                return try await list(request, context, form: typed, problems: error.problems)
            }
        }
        routes.page(Routes.measure, .id) { request, context, id in
            try await detail(request, context, id)
        }
        routes.form(Routes.measureUpdate, .id) { request, context, form, id in
            guard try await services.store.measures.find(id: id) != nil else { return notFound(context) }
            let typed = MeasureViews.Form(form)
            let checked = MeasureInput.checked(typed.fields)
            guard let input = checked.input else {
                return try await detail(request, context, id, form: typed, problems: checked.problems)
            }
            do {
                guard
                    try await services.store.measures.update(id: id, input, by: context.caller, now: services.now)
                        != nil
                else { return notFound(context) }
            } catch let error as MeasureError {
                return try await detail(request, context, id, form: typed, problems: error.problems)
            }
            services.publicPages.invalidate()
            return .redirect(to: Routes.measure.path(id: id))
        }
        routes.form(Routes.measureVisibility, .id) { request, context, form, id in
            guard let shown = ["1": true, "0": false][form["public"] ?? ""] else {
                return try await detail(
                    request,
                    context,
                    id,
                    problems: [
                        FieldProblem("public", .l("say 1 (show) or 0 (take off)", "anna 1 (näytä) tai 0 (poista)"))
                    ]
                )
            }
            guard
                try await services.store.measures.setPublic(id: id, shown, by: context.caller, now: services.now) != nil
            else { return notFound(context) }
            services.publicPages.invalidate()
            return .redirect(to: Routes.measure.path(id: id))
        }
        routes.page(Routes.publicMeasures) { request, context in
            try await PublicPages(services: services).cached(request, context, Routes.publicMeasures.path()) {
                frame,
                _ in
                MeasurePublicViews.page(frame, try await services.store.measures.list(publicOnly: true)).rendered
            }
        }
        routes.page(Routes.publicMeasuresAPI) { _, _ in
            let listed = try await services.store.measures.list(publicOnly: true).map(PublicMeasure.init)
            var response = try Response.json(PublicMeasures(measures: listed))
            response.headers[.cacheControl] = "public, max-age=60"
            response.headers[HTTPField.Name("Access-Control-Allow-Origin")!] = "*"
            return response
        }
    }

    private func staff() async throws -> [StaffUser] {
        try await services.store.users.all().filter { $0.status == .active }.sorted { $0.displayName < $1.displayName }
    }

    /// The register; with problems, a refused form shown again (400).
    private func list(
        _ request: Request,
        _ context: KilpiRequestContext,
        form: MeasureViews.Form,
        problems: [FieldProblem]
    ) async throws -> Response {
        let view = Pages.viewContext(request, context, services).at(Routes.measures.path())
        return .html(
            MeasureViews.list(
                view,
                try await services.store.measures.list(),
                staff: try await staff(),
                now: services.now,
                form: form,
                problems: problems
            ),
            status: problems.isEmpty ? .ok : .badRequest
        )
    }

    private func detail(
        _ request: Request,
        _ context: KilpiRequestContext,
        _ id: Int64,
        form: MeasureViews.Form? = nil,
        problems: [FieldProblem] = []
    ) async throws -> Response {
        guard let measure = try await services.store.measures.find(id: id) else { return notFound(context) }
        let view = Pages.viewContext(request, context, services).at(Routes.measure.path(id: id))
        return .html(
            MeasureViews.detail(view, measure, staff: try await staff(), form: form, problems: problems),
            status: problems.isEmpty ? .ok : .badRequest
        )
    }

    private func notFound(_ context: KilpiRequestContext) -> Response {
        Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
    }

    /// A public measure as the JSON gives it: days as `YYYY-MM-DD`, no owner, due day or evidence.
    struct PublicMeasure: Codable, Sendable, Equatable {
        let area: String
        let language: String
        let title: String
        let summary: String
        let status: String
        let lastReviewed: String?
        let lastCarriedOut: String?
        let findingsTotal: Int?
        let findingsClosed: Int?

        init(_ measure: SecurityMeasure) {
            area = measure.area.rawValue
            language = measure.language.rawValue
            title = measure.title
            summary = measure.summary
            status = measure.status.rawValue
            lastReviewed = measure.lastReviewedOn.map { MeasureViews.day($0) }
            lastCarriedOut = measure.performedOn.map { MeasureViews.day($0) }
            findingsTotal = measure.findings?.total
            findingsClosed = measure.findings?.closed
        }
    }

    struct PublicMeasures: Codable, Sendable {
        let measures: [PublicMeasure]
    }
}
