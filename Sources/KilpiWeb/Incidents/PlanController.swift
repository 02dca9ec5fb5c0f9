import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The response plan, its check, and the playbooks, each edited as the JSON document it is stored as.
struct PlanController {
    let services: AppServices

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.plan) { request, context in
            .html(try await planPage(Pages.viewContext(request, context, services)))
        }
        routes.form(Routes.planUpdate) { request, context, form in
            let document = form["document", trim: false] ?? ""
            do {
                try await services.store.playbooks.savePlan(document: document, actor: context.actor, now: services.now)
            } catch let error as IncidentError {
                return .html(try await planPage(Pages.viewContext(request, context, services), document: document, problems: error.problems), status: .badRequest)
            }
            try await services.store.audit.append(AuditEvent(actor: context.actor, action: "plan.update", target: "plan", ip: context.remoteIP), now: services.now)
            return .redirect(to: Routes.plan.path())
        }
        routes.page(Routes.playbook) { request, context in
            guard let id = context.parameters.get("id"), let playbook = try await services.store.playbooks.find(id: id) else {
                return Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
            }
            return .html(PlanViews.playbook(Pages.viewContext(request, context, services), playbook: playbook, document: playbook.json()))
        }
        routes.form(Routes.playbookUpdate) { request, context, form in
            guard let id = context.parameters.get("id"), let playbook = try await services.store.playbooks.find(id: id) else {
                return Pages.error(.notFound, .notFoundTitle, UIText.notFoundBody.text(context.language), context, services)
            }
            let document = form["document", trim: false] ?? ""
            do {
                _ = try await services.store.playbooks.save(document: document, expectedID: id, actor: context.actor, now: services.now)
            } catch let error as IncidentError {
                return .html(PlanViews.playbook(Pages.viewContext(request, context, services), playbook: playbook, document: document, problems: error.problems), status: .badRequest)
            }
            try await services.store.audit.append(AuditEvent(actor: context.actor, action: "playbook.update", target: "playbook:\(id)", ip: context.remoteIP), now: services.now)
            return .redirect(to: Routes.playbook.path(["id": id]))
        }
    }

    func planPage(_ view: ViewContext, document: String? = nil, problems: [FieldProblem] = []) async throws -> HTML {
        let plan = try await services.store.playbooks.plan()
        let playbooks = try await services.store.playbooks.all()
        return PlanViews.plan(view, plan: plan, document: document ?? plan.json(), playbooks: playbooks,
                              findings: PlanCheck.findings(plan: plan, playbooks: playbooks, now: services.now), problems: problems)
    }
}
