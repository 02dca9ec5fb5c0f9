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
    struct TaskDTO: Codable, Sendable {
        let id: Int64
        let playbook: String
        let title: String
        let phase: PlaybookPhase
        let owner: IncidentRole
        let purpose: StepPurpose?
        let dueAt: Date
        let doneAt: Date?
        let doneBy: String?
        let overdue: Bool
    }
    struct IncidentDTO: Codable, Sendable {
        let id: Int64
        let reference: String
        let title: String
        let summary: String
        let kinds: [ThreatKind]
        let severity: Severity
        let status: IncidentStatus
        let nextStatuses: [IncidentStatus]
        let times: TimesDTO
        /// Response-team role → staff user id.
        let roles: [String: Int64]
        let declaredAt: Date
        let declaredBy: String
        /// Present when one incident is read, absent in the list.
        var tasks: [TaskDTO]?
        init(_ i: Incident) {
            id = i.id
            reference = i.reference
            title = i.title
            summary = i.summary
            kinds = i.kinds
            severity = i.severity
            status = i.status
            nextStatuses = i.status.nextOptions
            times = TimesDTO(i.times)
            roles = Dictionary(uniqueKeysWithValues: i.roles.map { ($0.key.rawValue, $0.value) })
            declaredAt = i.declaredAt
            declaredBy = i.declaredBy
        }
    }
    struct EntryDTO: Codable, Sendable {
        let id: Int64
        let at: Date
        /// When it happened, for an entry recorded after the fact.
        let occurredAt: Date?
        let author: String
        let kind: TimelineEntry.Kind
        let visibility: TimelineEntry.Visibility
        let text: String
        init(_ e: TimelineEntry) {
            id = e.id
            at = e.at
            occurredAt = e.occurredAt
            author = e.author
            kind = e.kind
            visibility = e.visibility
            text = e.text
        }
    }
    /// Key times in a body: a key left out is left as it is, `null` clears a time entered by mistake, and any
    /// other value is an ISO 8601 time with a zone.
    struct TimesBody: Decodable, Sendable {
        enum Key: String, CodingKey, CaseIterable {
            case occurredAt, detectedAt, awareAt, containedAt, resolvedAt
        }
        var changes: [Key: Date?] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in Key.allCases where container.contains(key) {
                changes[key] = .some(try container.decode(Date?.self, forKey: key))
            }
        }

        /// `base` with the changes applied.
        func applied(to base: KeyTimes) -> KeyTimes {
            var times = base
            for (key, date) in changes {
                switch key {
                case .occurredAt: times.occurredAt = date
                case .detectedAt: times.detectedAt = date
                case .awareAt: times.awareAt = date
                case .containedAt: times.containedAt = date
                case .resolvedAt: times.resolvedAt = date
                }
            }
            return times
        }
    }
    struct CreateBody: Decodable {
        let title: String
        let summary: String?
        let kinds: [ThreatKind]
        let severity: Severity
        /// The staff user id of the incident commander.
        let commanderId: Int64
        let times: TimesBody?
    }
    struct UpdateBody: Decodable {
        let title: String?
        let summary: String?
        let kinds: [ThreatKind]?
        let severity: Severity?
        let times: TimesBody?
        let status: IncidentStatus?
        /// Why the status changes (kept on the timeline).
        let reason: String?
    }
    struct EntryBody: Decodable {
        /// `note` unless said otherwise.
        let kind: TimelineEntry.Kind?
        /// `internal` unless said otherwise.
        let visibility: TimelineEntry.Visibility?
        let text: String
        /// When an entry recorded late happened.
        let occurredAt: Date?
    }
    struct ScopeBody: Decodable {
        /// Affected systems by name.
        let systems: [String]
        let windowStart: Date
        let windowEnd: Date
        /// Category ids known to be exposed (none: every category held in the systems).
        let categories: [String]?
        /// Customers' external ids known to be affected (none: every customer with a holding there).
        let customerIds: [String]?
        let note: String?
    }
    struct ExposureDTO: Codable, Sendable {
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
    struct DiffDTO: Codable, Sendable {
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
    struct FindingDTO: Codable, Sendable {
        let code: PlanFinding.Code
        let subject: String
        let problem: LocalizedText
        let why: LocalizedText
        let fix: LocalizedText
    }

    func register(_ routes: RouteRegistry) {
        routes.api(Routes.apiIncidents) { _, _ in
            try .json(
                APIController.ListOf(
                    items: try await services.store.incidents.list(now: services.now).map { IncidentDTO($0.incident) }
                )
            )
        }
        routes.api(Routes.apiIncidentCreate) { request, context in
            try await handle(context) {
                let body = try await APIBody.decode(CreateBody.self, request, context)
                var problems: [FieldProblem] = []
                let draft = IncidentDraft(
                    title: body.title,
                    summary: body.summary ?? "",
                    kinds: Self.kinds(body.kinds.map(\.rawValue), &problems),
                    severity: body.severity,
                    times: body.times?.applied(to: KeyTimes()) ?? KeyTimes()
                )
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                let incident = try await services.incidents.declare(
                    draft,
                    commanderID: body.commanderId,
                    by: context.caller
                )
                return try .json(try await dto(incident), status: .created)
            }
        }
        routes.api(Routes.apiIncident, .id) { _, context, id in
            try await handle(context) {
                try .json(try await dto(try await incident(id)))
            }
        }
        routes.api(Routes.apiIncidentUpdate, .id) { request, context, id in
            try await handle(context) {
                let incident = try await incident(id)
                let body = try await APIBody.decode(UpdateBody.self, request, context)
                var problems: [FieldProblem] = []
                var draft = IncidentDraft(
                    title: body.title ?? incident.title,
                    summary: body.summary ?? incident.summary,
                    kinds: incident.kinds,
                    severity: body.severity ?? incident.severity,
                    times: body.times?.applied(to: incident.times) ?? incident.times
                )
                if let kinds = body.kinds { draft.kinds = Self.kinds(kinds.map(\.rawValue), &problems) }
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                // Details and status in one transaction: a refused move leaves the details untouched too.
                let updated = try await services.incidents.update(
                    id: incident.id,
                    draft,
                    status: body.status,
                    reason: body.reason ?? "",
                    by: context.caller
                )
                return try .json(try await dto(updated))
            }
        }
        routes.api(Routes.apiTimeline, .id) { _, context, id in
            try await handle(context) {
                let incident = try await incident(id)
                return try .json(
                    APIController.ListOf(
                        items: try await services.store.incidents.timeline(incidentID: incident.id).map(EntryDTO.init)
                    )
                )
            }
        }
        routes.api(Routes.apiTimelineAdd, .id) { request, context, id in
            try await handle(context) {
                let incident = try await incident(id)
                let body = try await APIBody.decode(EntryBody.self, request, context)
                let entry = try await services.incidents.addEntry(
                    incidentID: incident.id,
                    kind: body.kind ?? .note,
                    visibility: body.visibility ?? .internal,
                    text: body.text,
                    occurredAt: body.occurredAt,
                    by: context.caller
                )
                return try .json(EntryDTO(entry), status: .created)
            }
        }
        routes.api(Routes.apiScopeSet, .id) { request, context, id in
            try await handle(context) {
                let incident = try await incident(id)
                let body = try await APIBody.decode(ScopeBody.self, request, context)
                var problems: [FieldProblem] = []
                let systems = try await services.store.dataMap.summaries().map(\.system)
                var ids: [Int64] = []
                for (index, name) in body.systems.enumerated() {
                    if let system = systems.first(where: {
                        $0.name.lowercased() == name.trimmingCharacters(in: .whitespaces).lowercased()
                    }) {
                        ids.append(system.id)
                    } else {
                        problems.append(FieldProblem("systems[\(index)]", "unknown system \"\(name.prefix(80))\""))
                    }
                }
                guard problems.isEmpty else { throw IncidentError.invalid(problems) }
                let version = try await services.incidents.createScope(
                    incidentID: incident.id,
                    ScopeDraft(
                        systemIDs: ids,
                        windowStart: body.windowStart,
                        windowEnd: body.windowEnd,
                        categoryIDs: body.categories ?? [],
                        customerExternalIDs: body.customerIds ?? [],
                        note: body.note ?? ""
                    ),
                    by: context.caller
                )
                return try .json(exposure(version, systems, for: context), status: .created)
            }
        }
        routes.api(Routes.apiExposure, .id) { _, context, id in
            try await handle(context) {
                let incident = try await incident(id)
                guard let latest = try await services.store.scopes.latest(incidentID: incident.id) else {
                    throw APIError(.notFound, .noScope, "\(incident.reference) has no scope yet.")
                }
                return try .json(
                    exposure(latest, try await services.store.dataMap.summaries().map(\.system), for: context)
                )
            }
        }
        routes.api(Routes.apiPlanCheck) { _, _ in
            let findings = PlanCheck.findings(
                plan: try await services.store.playbooks.plan(),
                playbooks: try await services.store.playbooks.all(),
                now: services.now
            )
            return try .json(
                APIController.ListOf(
                    items: findings.map {
                        FindingDTO(code: $0.code, subject: $0.subject, problem: $0.problem, why: $0.why, fix: $0.fix)
                    }
                )
            )
        }
    }

    // MARK: Helpers

    /// Turns the incident service's refusals into `APIError`s, naming the field where there is one.
    func handle(_ context: KilpiRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as IncidentError {
            if error.isNotFound { throw APIError.notFound(error.message) }
            if error.isTransitionRefused {
                throw APIError(.conflict, .transitionRefused, error.message, field: "status")
            }
            throw APIError.invalid(error.problems, language: context.language)
        }
    }

    func incident(_ id: Int64) async throws -> Incident {
        guard let incident = try await services.store.incidents.find(id: id) else {
            throw APIError.notFound("No such incident.")
        }
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
                phase: $0.phase,
                owner: $0.owner,
                purpose: $0.purpose,
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
}
