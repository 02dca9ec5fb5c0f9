import Foundation
import KilpiCore

/// Editing the response plan and the playbooks: each save and its audit entry commit together.
public struct PlanService: Sendable {
    let store: Store
    let now: Now

    public init(store: Store, now: @escaping Now = { Date() }) {
        self.store = store
        self.now = now
    }

    @discardableResult
    public func savePlan(document: String, by caller: Caller) async throws -> ResponsePlan {
        let now = now()
        return try await store.playbooks.savePlan(
            document: document,
            actor: caller.actor.description,
            now: now,
            audit: Audited(store.audit, now: now) { _ in caller.event(.planUpdate, target: "plan") }
        )
    }

    /// Saves (and so reviews) a playbook; `expectedID` guards against a document that names another one.
    @discardableResult
    public func savePlaybook(document: String, expectedID: String?, by caller: Caller) async throws -> Playbook {
        let now = now()
        return try await store.playbooks.save(
            document: document,
            expectedID: expectedID,
            actor: caller.actor.description,
            now: now,
            audit: Audited(store.audit, now: now) { playbook in
                caller.event(.playbookUpdate, target: "playbook:\(playbook.id)")
            }
        )
    }
}
