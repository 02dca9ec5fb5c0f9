import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// The incident half of the JSON API: the same repositories, rules and permissions as the console, and every
/// change audited with the token as actor.
struct IncidentAPIController {
    let services: AppServices

    struct TimesDTO: Codable, Sendable {
        var occurredAt: Date?, detectedAt: Date?, awareAt: Date?, containedAt: Date?, resolvedAt: Date?
        init(_ t: KeyTimes) {
            occurredAt = t.occurredAt
            detectedAt = t.detectedAt
            awareAt = t.awareAt
            containedAt = t.containedAt
            resolvedAt = t.resolvedAt
        }
    }
    struct TaskDTO: Encodable, Sendable {
        let id: Int64
        let playbook: String
        let title: String
        let phase: String
        let owner: String
        let purpose: String?
        let dueAt: Date
        let doneAt: Date?
        let doneBy: String?
        let overdue: Bool
    }
    struct IncidentDTO: Encodable, Sendable {
        let id: Int64
        let reference: String
        let title: String
        let summary: String
        let kinds: [String]
        let severity: String
        let status: String
        let nextStatuses: [String]
        let times: TimesDTO
        let roles: [String: Int64]
        let declaredAt: Date
        let declaredBy: String
        var tasks: [TaskDTO]?
        init(_ i: Incident) {
            id = i.id
            reference = i.reference
            title = i.title
            summary = i.summary
            kinds = i.kinds.map(\.rawValue)
            severity = i.severity.rawValue
            status = i.status.rawValue
            nextStatuses = i.status.nextOptions.map(\.rawValue)
            times = TimesDTO(i.times)
            roles = Dictionary(uniqueKeysWithValues: i.roles.map { ($0.key.rawValue, $0.value) })
            declaredAt = i.declaredAt
            declaredBy = i.declaredBy
        }
    }
    struct EntryDTO: Encodable, Sendable {
        let id: Int64
        let at: Date
        /// When it happened, for an entry recorded after the fact.
        let occurredAt: Date?
        let author: String
        let kind: String
        let visibility: String
        let text: String
        init(_ e: TimelineEntry) {
            id = e.id
            at = e.at
            occurredAt = e.occurredAt
            author = e.author
            kind = e.kind.rawValue
            visibility = e.visibility.rawValue
            text = e.text
        }
    }
    /// Key times arrive as ISO 8601 text and are read here, so a bad one is named (`times.occurredAt`); `null`
    /// clears a time entered by mistake.
    typealias TimesBody = [String: String?]
    struct CreateBody: Decodable {
        let title: String?
        let summary: String?
        let kinds: [String]?
        let severity: String?
        let commanderId: Int64?
        let times: TimesBody?
    }
    struct UpdateBody: Decodable {
        let title: String?
        let summary: String?
        let kinds: [String]?
        let severity: String?
        let times: TimesBody?
        let status: String?
        let reason: String?
    }
    struct EntryBody: Decodable {
        let kind: String?
        let visibility: String?
        let text: String?
        /// ISO 8601; when an entry recorded late happened.
        let occurredAt: String?
    }
    struct ScopeBody: Decodable {
        let systems: [String]?
        let windowStart: Date?
        let windowEnd: Date?
        let categories: [String]?
        let customerIds: [String]?
        let note: String?
    }
    struct ExposureDTO: Encodable, Sendable {
        let version: Int
        let systems: [String]
        let windowStart: Date
        let windowEnd: Date
        let categories: [String]
        let listedCustomers: Int
        let summary: ExposureSummary
        let diff: DiffDTO?
        let createdAt: Date
        let createdBy: String
    }
    /// What changed since the previous version, shaped for the caller like the console's scope page: the sample of
    /// added customers' ids only for a role that `AccessPolicy.shows(.customerIDs, to:)`; for any other role the
    /// key is absent (not empty, which would read as "nobody was added").
    struct DiffDTO: Encodable, Sendable {
        let added: Int
        let removed: Int
        let widened: Int
        let narrowed: Int
        let newCategories: [String]
        let addedSample: [String]?
        init(_ d: ExposureDiff, for role: Role) {
            added = d.added
            removed = d.removed
            widened = d.widened
            narrowed = d.narrowed
            newCategories = d.newCategories
            addedSample = AccessPolicy.shows(.customerIDs, to: role) ? d.addedSample : nil
        }
    }
    struct FindingDTO: Encodable, Sendable {
        let code: String
        let subject: String
        let problem: LocalizedText
        let why: LocalizedText
        let fix: LocalizedText
    }

    func register(_ routes: RouteRegistry) {
        routes.page(Routes.apiIncidents) { _, _ in
            try .json(
                APIController.ListOf(
                    items: try await services.store.incidents.list(now: services.now).map { IncidentDTO($0.incident) }
                )
            )
        }
        routes.page(Routes.apiIncidentCreate) { request, context in
            try await handle {
                let body = try await APIController.decode(CreateBody.self, request, context)
                var problems: [FieldProblem] = []
                let kinds = Self.kinds(body.kinds ?? [], &problems)
                let severity = Self.severity(body.severity, &problems)
                guard let commander = body.commanderId else {
                    throw IncidentError.invalid(
                        problems + [
                            FieldProblem("commanderId", "is required: the staff user id of the incident commander")
                        ]
                    )
                }
                let draft = IncidentDraft(
                    title: body.title ?? "",
                    summary: body.summary ?? "",
                    kinds: kinds,
                    severity: severity ?? .sev3,
                    times: Self.times(body.times, base: KeyTimes(), &problems)
                )
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                let incident = try await services.incidents.declare(draft, commanderID: commander, by: context.caller)
                return try .json(try await dto(incident), status: .created)
            }
        }
        routes.page(Routes.apiIncident) { _, context in
            try await handle {
                try .json(try await dto(try await incident(context)))
            }
        }
        routes.page(Routes.apiIncidentUpdate) { request, context in
            try await handle {
                let incident = try await incident(context)
                let body = try await APIController.decode(UpdateBody.self, request, context)
                var problems: [FieldProblem] = []
                var draft = IncidentDraft(
                    title: body.title ?? incident.title,
                    summary: body.summary ?? incident.summary,
                    kinds: incident.kinds,
                    severity: incident.severity,
                    times: Self.times(body.times, base: incident.times, &problems)
                )
                if let kinds = body.kinds { draft.kinds = Self.kinds(kinds, &problems) }
                if let severity = body.severity {
                    draft.severity = Self.severity(severity, &problems) ?? incident.severity
                }
                let status = body.status.flatMap { IncidentInput.status($0, into: &problems) }
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                // Details and status in one transaction: a refused move leaves the details untouched too.
                let updated = try await services.incidents.update(
                    id: incident.id,
                    draft,
                    status: status,
                    reason: body.reason ?? "",
                    by: context.caller
                )
                return try .json(try await dto(updated))
            }
        }
        routes.page(Routes.apiTimeline) { _, context in
            try await handle {
                let incident = try await incident(context)
                return try .json(
                    APIController.ListOf(
                        items: try await services.store.incidents.timeline(incidentID: incident.id).map(EntryDTO.init)
                    )
                )
            }
        }
        routes.page(Routes.apiTimelineAdd) { request, context in
            try await handle {
                let incident = try await incident(context)
                let body = try await APIController.decode(EntryBody.self, request, context)
                guard let kind = TimelineEntry.Kind(rawValue: body.kind ?? "note") else {
                    throw IncidentError.invalid([FieldProblem("kind", "use note, decision or notice")])
                }
                guard let visibility = TimelineEntry.Visibility(rawValue: body.visibility ?? "internal") else {
                    throw IncidentError.invalid([FieldProblem("visibility", "use internal or public_ready")])
                }
                var problems: [FieldProblem] = []
                let occurredAt = IncidentInput.time(body.occurredAt, field: "occurredAt", form: .zoned, into: &problems)
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                let entry = try await services.incidents.addEntry(
                    incidentID: incident.id,
                    kind: kind,
                    visibility: visibility,
                    text: body.text ?? "",
                    occurredAt: occurredAt,
                    by: context.caller
                )
                return try .json(EntryDTO(entry), status: .created)
            }
        }
        routes.page(Routes.apiScopeSet) { request, context in
            try await handle {
                let incident = try await incident(context)
                let body = try await APIController.decode(ScopeBody.self, request, context)
                var problems: [FieldProblem] = []
                let systems = try await services.store.dataMap.summaries().map(\.system)
                var ids: [Int64] = []
                for name in body.systems ?? [] {
                    if let system = systems.first(where: {
                        $0.name.lowercased() == name.trimmingCharacters(in: .whitespaces).lowercased()
                    }) {
                        ids.append(system.id)
                    } else {
                        problems.append(FieldProblem("systems", "unknown system \"\(name)\""))
                    }
                }
                if body.windowStart == nil { problems.append(FieldProblem("windowStart", "is required (ISO 8601)")) }
                if body.windowEnd == nil { problems.append(FieldProblem("windowEnd", "is required (ISO 8601)")) }
                guard problems.isEmpty, let start = body.windowStart, let end = body.windowEnd else {
                    throw IncidentError.invalid(problems)
                }
                let version = try await services.incidents.createScope(
                    incidentID: incident.id,
                    ScopeDraft(
                        systemIDs: ids,
                        windowStart: start,
                        windowEnd: end,
                        categoryIDs: body.categories ?? [],
                        customerExternalIDs: body.customerIds ?? [],
                        note: body.note ?? ""
                    ),
                    by: context.caller
                )
                return try .json(exposure(version, systems, for: context), status: .created)
            }
        }
        routes.page(Routes.apiExposure) { _, context in
            try await handle {
                let incident = try await incident(context)
                guard let latest = try await services.store.scopes.latest(incidentID: incident.id) else {
                    return .apiError(.notFound, code: "no_scope", message: "\(incident.reference) has no scope yet")
                }
                return try .json(
                    exposure(latest, try await services.store.dataMap.summaries().map(\.system), for: context)
                )
            }
        }
        routes.page(Routes.apiPlanCheck) { _, _ in
            let findings = PlanCheck.findings(
                plan: try await services.store.playbooks.plan(),
                playbooks: try await services.store.playbooks.all(),
                now: services.now
            )
            return try .json(
                APIController.ListOf(
                    items: findings.map {
                        FindingDTO(
                            code: $0.code.rawValue,
                            subject: $0.subject,
                            problem: $0.problem,
                            why: $0.why,
                            fix: $0.fix
                        )
                    }
                )
            )
        }
    }

    // MARK: Helpers

    struct NotFound: Error {}

    /// Turns the errors of a handler into the API's one error shape, naming the field where there is one.
    func handle(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as APIController.APIBodyError {
            return .apiError(.badRequest, code: "invalid_body", message: error.message, field: error.field)
        } catch is NotFound {
            return .apiError(.notFound, code: "not_found", message: "no such incident")
        } catch let error as IncidentError {
            if error.isNotFound { return .apiError(.notFound, code: "not_found", message: error.message) }
            if error.isTransitionRefused {
                return .apiError(.conflict, code: "transition_refused", message: error.message, field: "status")
            }
            return .apiError(
                .unprocessableContent,
                code: "invalid",
                message: error.message,
                field: error.problems.first?.field
            )
        }
    }

    func incident(_ context: KilpiRequestContext) async throws -> Incident {
        guard let id = context.parameters.get("id", as: Int64.self),
            let incident = try await services.store.incidents.find(id: id)
        else { throw NotFound() }
        return incident
    }

    func dto(_ incident: Incident) async throws -> IncidentDTO {
        var dto = IncidentDTO(incident)
        let now = services.now
        dto.tasks = try await services.store.incidents.tasks(incidentID: incident.id).map {
            TaskDTO(
                id: $0.id,
                playbook: $0.playbookID,
                title: $0.title.en,
                phase: $0.phase.rawValue,
                owner: $0.owner.rawValue,
                purpose: $0.purpose?.rawValue,
                dueAt: $0.dueAt,
                doneAt: $0.doneAt,
                doneBy: $0.doneBy,
                overdue: $0.isOverdue(at: now)
            )
        }
        return dto
    }

    /// The exposure of `v` as the calling token's role may see it.
    func exposure(_ v: ScopeVersion, _ systems: [DataSystem], for context: KilpiRequestContext) -> ExposureDTO {
        // API routes always have a token here; without one, shape for the role that sees least.
        let role = context.apiToken?.role ?? .viewer
        let names = Dictionary(uniqueKeysWithValues: systems.map { ($0.id, $0.name) })
        return ExposureDTO(
            version: v.version,
            systems: v.draft.systemIDs.map { names[$0] ?? "#\($0)" },
            windowStart: v.draft.windowStart,
            windowEnd: v.draft.windowEnd,
            categories: v.draft.categoryIDs,
            listedCustomers: v.listedCustomers,
            summary: v.summary,
            diff: v.diff.map { DiffDTO($0, for: role) },
            createdAt: v.createdAt,
            createdBy: v.createdBy
        )
    }

    static func kinds(_ names: [String], _ problems: inout [FieldProblem]) -> [ThreatKind] {
        IncidentInput.kinds(names, into: &problems)
    }

    static func severity(_ text: String?, _ problems: inout [FieldProblem]) -> Severity? {
        IncidentInput.severity(text, into: &problems)
    }

    static func times(_ body: TimesBody?, base: KeyTimes, _ problems: inout [FieldProblem]) -> KeyTimes {
        guard let body else { return base }
        var times = base
        let setters: [String: WritableKeyPath<KeyTimes, Date?>] = [
            "occurredAt": \.occurredAt, "detectedAt": \.detectedAt, "awareAt": \.awareAt, "containedAt": \.containedAt,
            "resolvedAt": \.resolvedAt,
        ]
        for (key, text) in body.sorted(by: { $0.key < $1.key }) {
            guard let path = setters[key] else {
                problems.append(
                    FieldProblem("times.\(key)", "unknown; use \(setters.keys.sorted().joined(separator: ", "))")
                )
                continue
            }
            guard let text else {
                times[keyPath: path] = nil
                continue
            }
            var bad: [FieldProblem] = []
            let date = IncidentInput.time(text, field: "times.\(key)", form: .zoned, into: &bad)
            guard bad.isEmpty, let date else {
                problems += bad.isEmpty ? [FieldProblem("times.\(key)", "use null to clear a time")] : bad
                continue
            }
            times[keyPath: path] = date
        }
        return times
    }
}
