import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The response plan (edited as a form, or as the JSON document it is stored as), its check, and the playbooks
/// (edited as JSON).
struct PlanController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.plan) { request, context in
            .html(try await planPage(Pages.viewContext(request, context, services)))
        }
        routes.form(Routes.planUpdate) { request, context, form in
            // The JSON editor sends `document`; the form sends its rows, which become the same document.
            var rows: PlanForm?
            do {
                let document: String
                if let json = form["document", trim: false] {
                    document = json
                } else {
                    rows = try PlanForm(form: form)
                    document = rows!.document()
                }
                try await services.plan.savePlan(document: document, by: context.caller)
            } catch let error as IncidentError {
                let json = form["document", trim: false]
                return .html(
                    try await planPage(
                        Pages.viewContext(request, context, services),
                        form: rows,
                        document: json,
                        problems: error.problems
                    ),
                    status: .badRequest
                )
            }
            return .redirect(to: Routes.plan.path())
        }
        routes.page(Routes.playbook, .key) { request, context, id in
            guard let playbook = try await services.store.playbooks.find(id: id) else {
                throw PageError.notFound
            }
            return .html(
                PlanViews.playbook(
                    Pages.viewContext(request, context, services),
                    playbook: playbook,
                    document: playbook.json()
                )
            )
        }
        routes.form(Routes.playbookUpdate, .key) { request, context, form, id in
            guard let playbook = try await services.store.playbooks.find(id: id) else {
                throw PageError.notFound
            }
            let document = form["document", trim: false] ?? ""
            do {
                try await services.plan.savePlaybook(document: document, expectedID: id, by: context.caller)
            } catch let error as IncidentError {
                return .html(
                    PlanViews.playbook(
                        Pages.viewContext(request, context, services),
                        playbook: playbook,
                        document: document,
                        problems: error.problems
                    ),
                    status: .badRequest
                )
            }
            return .redirect(to: Routes.playbook.path(["id": id]))
        }
    }

    /// `form` and `document`: what was typed into a refused form, shown again instead of the saved plan.
    func planPage(
        _ view: ViewContext,
        form: PlanForm? = nil,
        document: String? = nil,
        problems: [FieldProblem] = []
    ) async throws -> HTML {
        let plan = try await services.store.playbooks.plan()
        let playbooks = try await services.store.playbooks.all()
        return PlanViews.plan(
            view,
            plan: plan,
            form: form ?? PlanForm(plan: plan),
            document: document ?? plan.json(),
            playbooks: playbooks,
            findings: PlanCheck.findings(plan: plan, playbooks: playbooks, now: services.now),
            problems: problems
        )
    }
}
