import Foundation
import KilpiCore

/// The incident use cases that the console, the API and the command line share: each validates its input, then
/// writes the change, its timeline entries and its audit entry in one transaction (the repository's), so a
/// failure anywhere leaves neither the change nor the record of it.
public struct IncidentService: Sendable {
    let store: Store
    let now: Now

    public init(store: Store, now: @escaping Now = { Date() }) {
        self.store = store
        self.now = now
    }

    private func audited<Result>(
        _ caller: Caller,
        _ action: AuditAction,
        incident id: Int64,
        _ detail: @escaping @Sendable (Result) -> String = { _ in "" }
    ) -> Audited<Result> {
        Audited(store.audit, now: now()) { result in
            caller.event(action, target: "incident:\(id)", detail: detail(result))
        }
    }

    public func declare(_ draft: IncidentDraft, commanderID: Int64, by caller: Caller) async throws -> Incident {
        let now = now()
        return try await store.incidents.declare(
            draft,
            commanderID: commanderID,
            playbooks: try await store.playbooks.all(),
            actor: caller.actor.description,
            now: now,
            audit: Audited(store.audit, now: now) { incident in
                caller.event(
                    .incidentDeclare,
                    target: "incident:\(incident.id)",
                    detail: "\(incident.severity.rawValue) \(incident.kinds.map(\.rawValue).joined(separator: ","))"
                )
            }
        )
    }

    /// New details and optionally a status move, together or not at all.
    @discardableResult
    public func update(
        id: Int64,
        _ draft: IncidentDraft,
        status: IncidentStatus? = nil,
        reason: String = "",
        by caller: Caller
    ) async throws -> Incident {
        try await store.incidents.update(
            id: id,
            draft,
            status: status,
            reason: Self.reason(reason),
            playbooks: try await store.playbooks.all(),
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .incidentUpdate, incident: id) { incident in
                status.map { "status \($0.rawValue)" } ?? ""
            }
        )
    }

    @discardableResult
    public func setStatus(
        id: Int64,
        to status: IncidentStatus,
        reason: String,
        by caller: Caller
    ) async throws
        -> Incident
    {
        try await store.incidents.setStatus(
            id: id,
            to: status,
            reason: Self.reason(reason),
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .incidentStatus, incident: id) { _ in "→ \(status.rawValue)" }
        )
    }

    @discardableResult
    public func assign(id: Int64, role: IncidentRole, userID: Int64?, by caller: Caller) async throws -> Incident {
        try await store.incidents.assign(
            id: id,
            role: role,
            userID: userID,
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .incidentRole, incident: id) { _ in
                "\(role.rawValue) = \(userID.map { "user:\($0)" } ?? "nobody")"
            }
        )
    }

    @discardableResult
    public func addEntry(
        incidentID: Int64,
        kind: TimelineEntry.Kind,
        visibility: TimelineEntry.Visibility,
        text: String,
        occurredAt: Date? = nil,
        by caller: Caller
    ) async throws -> TimelineEntry {
        try await store.incidents.addEntry(
            incidentID: incidentID,
            kind: kind,
            visibility: visibility,
            text: text,
            occurredAt: occurredAt,
            author: caller.actor.description,
            now: now(),
            audit: audited(caller, .incidentTimeline, incident: incidentID) { entry in
                "\(entry.kind.rawValue) #\(entry.id)"
            }
        )
    }

    @discardableResult
    public func setTaskDone(
        incidentID: Int64,
        taskID: Int64,
        done: Bool,
        by caller: Caller
    ) async throws
        -> IncidentTask
    {
        try await store.incidents.setTaskDone(
            incidentID: incidentID,
            taskID: taskID,
            done: done,
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .incidentTask, incident: incidentID) { task in
                "task:\(task.id) \(task.doneAt == nil ? "open" : "done")"
            }
        )
    }

    public func setLessons(id: Int64, _ lessons: String, by caller: Caller) async throws {
        try await store.incidents.setLessons(
            id: id,
            lessons,
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .incidentLessons, incident: id)
        )
    }

    public func setImpactAssumptions(id: Int64, _ assumptions: ImpactAssumptions, by caller: Caller) async throws {
        try await store.incidents.setImpactAssumptions(
            id: id,
            assumptions,
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .impactUpdate, incident: id)
        )
    }

    /// A new scope version with its exposure computed and stored.
    public func createScope(incidentID: Int64, _ draft: ScopeDraft, by caller: Caller) async throws -> ScopeVersion {
        try await store.scopes.create(
            incidentID: incidentID,
            draft,
            actor: caller.actor.description,
            now: now(),
            audit: audited(caller, .scopeCreate, incident: incidentID) { version in
                "v\(version.version): \(version.summary.customers) customers"
            }
        )
    }

    /// A status move's reason, as much of it as the timeline keeps.
    static func reason(_ text: String) -> String { String(text.prefix(500)) }
}
