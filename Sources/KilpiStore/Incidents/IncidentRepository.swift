import Foundation
import KilpiCore
import SQLKit

/// An incident with the counts a list needs.
public struct IncidentListItem: Sendable, Equatable {
    public let incident: Incident
    public let openTasks: Int
    public let overdueTasks: Int
}

/// Incidents, their roles and their append-only timeline. Every change is written to the timeline in the same
/// transaction as the change itself, so the history can never disagree with the record.
public struct IncidentRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Declaring

    /// Declares an incident: the record, its commander, the tasks of the playbooks for its threat kinds, and
    /// the first timeline entry, all in one transaction.
    public func declare(
        _ draft: IncidentDraft,
        commanderID: Int64,
        playbooks: [Playbook],
        actor: String,
        now: Date,
        audit: Audited<Incident>? = nil
    ) async throws -> Incident {
        do { try draft.validate() } catch { throw IncidentError.invalid(error.problems) }
        var declaredTimes = draft.times
        // Declaring means someone is aware now, unless the responder says it was earlier.
        if declaredTimes.detectedAt == nil { declaredTimes.detectedAt = now }
        if declaredTimes.awareAt == nil { declaredTimes.awareAt = max(now, declaredTimes.detectedAt ?? now) }
        do {
            try IncidentDraft(title: draft.title, kinds: draft.kinds, severity: draft.severity, times: declaredTimes)
                .validate()
        } catch { throw IncidentError.invalid(error.problems) }
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let times = declaredTimes
        return try await database.transaction { sql in
            guard
                try await sql.raw("SELECT id FROM staff_users WHERE id = \(bind: commanderID) AND status = 'active'")
                    .first() != nil
            else {
                throw IncidentError.invalid([
                    FieldProblem("commander", .l("choose an active staff member", "valitse aktiivinen henkilö"))
                ])
            }
            let id = try await sql.raw(
                """
                INSERT INTO incidents (title, summary, kinds, severity, status, occurred_at, detected_at, aware_at, contained_at, resolved_at,
                                       declared_at, declared_by, lessons, impact, updated_at)
                VALUES (\(bind: title), \(bind: draft.summary), \(bind: Self.kindsText(draft.kinds)), \(bind: draft.severity.rawValue),
                        \(bind: IncidentStatus.detected.rawValue), \(bind: times.occurredAt?.epochMilliseconds), \(bind: times.detectedAt?.epochMilliseconds),
                        \(bind: times.awareAt?.epochMilliseconds), \(bind: times.containedAt?.epochMilliseconds), \(bind: times.resolvedAt?.epochMilliseconds),
                        \(bind: now.epochMilliseconds), \(bind: actor), '', NULL, \(bind: now.epochMilliseconds))
                RETURNING id
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }!
            try await sql.raw(
                "INSERT INTO incident_roles (incident_id, role, user_id) VALUES (\(bind: id), \(bind: IncidentRole.commander.rawValue), \(bind: commanderID))"
            ).run()
            try await Self.append(
                sql,
                incidentID: id,
                at: now,
                author: actor,
                kind: .change,
                visibility: .internal,
                event: .declared(severity: draft.severity, kinds: draft.kinds, title: title)
            )
            try await Self.instantiate(
                sql,
                playbooks: playbooks.filter { draft.kinds.contains($0.threatKind) },
                incidentID: id,
                declaredAt: now,
                actor: actor,
                now: now
            )
            let incident = try await Self.load(sql, id: id)!
            try await audit.write(incident, in: sql)
            return incident
        }
    }

    // MARK: Reading

    public func find(id: Int64) async throws -> Incident? {
        try await database.read { sql in try await Self.load(sql, id: id) }
    }

    /// Incidents newest first, with open and overdue task counts.
    public func list(now: Date, limit: Int = 200) async throws -> [IncidentListItem] {
        try await database.read { sql in
            let rows = try await sql.raw("SELECT * FROM incidents ORDER BY id DESC LIMIT \(unsafeRaw: String(limit))")
                .all()
            guard let oldest = try rows.last?.decode(column: "id", as: Int64.self) else { return [] }
            // Three statements for the whole page, not two per incident.
            var roles: [Int64: [IncidentRole: Int64]] = [:]
            for row in try await sql.raw(
                "SELECT incident_id, role, user_id FROM incident_roles WHERE incident_id >= \(bind: oldest)"
            ).all() {
                if let role = IncidentRole(rawValue: try row.decode(column: "role", as: String.self)) {
                    roles[try row.decode(column: "incident_id", as: Int64.self), default: [:]][role] = try row.decode(
                        column: "user_id",
                        as: Int64.self
                    )
                }
            }
            var counts: [Int64: (open: Int, overdue: Int)] = [:]
            for row in try await sql.raw(
                """
                SELECT incident_id, COUNT(*) AS open, SUM(CASE WHEN due_at < \(bind: now.epochMilliseconds) THEN 1 ELSE 0 END) AS overdue
                FROM incident_tasks WHERE incident_id >= \(bind: oldest) AND done_at IS NULL GROUP BY incident_id
                """
            ).all() {
                counts[try row.decode(column: "incident_id", as: Int64.self)] = (
                    try row.decode(column: "open", as: Int?.self) ?? 0,
                    try row.decode(column: "overdue", as: Int?.self) ?? 0
                )
            }
            return try rows.map { row in
                let id = try row.decode(column: "id", as: Int64.self)
                return IncidentListItem(
                    incident: try Self.decode(row, roles: roles[id] ?? [:]),
                    openTasks: counts[id]?.open ?? 0,
                    overdueTasks: counts[id]?.overdue ?? 0
                )
            }
        }
    }

    // MARK: Changing

    /// Saves new details and records each changed field on the timeline. Adding a threat kind brings in its
    /// playbook's tasks. With `status`, also moves the incident there in the same transaction, so a refused move
    /// leaves the details untouched too. Nothing changed means nothing written, not even an audit entry.
    @discardableResult
    public func update(
        id: Int64,
        _ draft: IncidentDraft,
        status: IncidentStatus? = nil,
        reason: String = "",
        playbooks: [Playbook],
        actor: String,
        now: Date,
        audit: Audited<Incident>? = nil
    ) async throws -> Incident {
        do { try draft.validate() } catch { throw IncidentError.invalid(error.problems) }
        return try await database.transaction { sql in
            guard let old = try await Self.load(sql, id: id, forUpdate: true) else { throw IncidentError.notFound(id) }
            if let status, !old.status.canMove(to: status) {
                throw IncidentError.transitionRefused(from: old.status, to: status)
            }
            var incident = try await Self.saveDetails(
                sql,
                old: old,
                draft,
                playbooks: playbooks,
                actor: actor,
                now: now
            )
            if let status {
                incident = try await Self.moveStatus(sql, incident, to: status, reason: reason, actor: actor, now: now)
            }
            guard incident != old else { return old }
            try await audit.write(incident, in: sql)
            return incident
        }
    }

    /// Writes the details that differ from `old`, each change a timeline entry; returns the incident as saved.
    private static func saveDetails(
        _ sql: any SQLDatabase,
        old: Incident,
        _ draft: IncidentDraft,
        playbooks: [Playbook],
        actor: String,
        now: Date
    ) async throws -> Incident {
        let id = old.id
        var changes: [TimelineEvent] = []
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if old.title != title { changes.append(.titleChanged(from: old.title, to: title)) }
        if old.summary != draft.summary { changes.append(.summaryChanged) }
        if old.kinds != draft.kinds { changes.append(.kindsChanged(from: old.kinds, to: draft.kinds)) }
        if old.severity != draft.severity { changes.append(.severityChanged(from: old.severity, to: draft.severity)) }
        for field in KeyTimes.Field.allCases where old.times[field] != draft.times[field] {
            changes.append(.keyTimeChanged(field: field, from: old.times[field], to: draft.times[field]))
        }
        guard !changes.isEmpty else { return old }
        try await sql.raw(
            """
            UPDATE incidents SET title = \(bind: title), summary = \(bind: draft.summary), kinds = \(bind: Self.kindsText(draft.kinds)),
                severity = \(bind: draft.severity.rawValue), occurred_at = \(bind: draft.times.occurredAt?.epochMilliseconds),
                detected_at = \(bind: draft.times.detectedAt?.epochMilliseconds), aware_at = \(bind: draft.times.awareAt?.epochMilliseconds),
                contained_at = \(bind: draft.times.containedAt?.epochMilliseconds), resolved_at = \(bind: draft.times.resolvedAt?.epochMilliseconds),
                updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id)
            """
        ).run()
        for change in changes {
            try await Self.append(
                sql,
                incidentID: id,
                at: now,
                author: actor,
                kind: .change,
                visibility: .internal,
                event: change
            )
        }
        let added = Set(draft.kinds).subtracting(old.kinds)
        let existing = Set(
            try await sql.raw("SELECT DISTINCT playbook_id FROM incident_tasks WHERE incident_id = \(bind: id)")
                .all().map { try $0.decode(column: "playbook_id", as: String.self) }
        )
        let fresh = playbooks.filter { added.contains($0.threatKind) && !existing.contains($0.id) }
        try await Self.instantiate(
            sql,
            playbooks: fresh,
            incidentID: id,
            declaredAt: old.declaredAt,
            actor: actor,
            now: now
        )
        return try await Self.load(sql, id: id)!
    }

    /// Moves the incident to `status` if the lifecycle allows it; containment and closing fill in their key
    /// times when nobody has yet.
    @discardableResult
    public func setStatus(
        id: Int64,
        to status: IncidentStatus,
        reason: String = "",
        actor: String,
        now: Date,
        audit: Audited<Incident>? = nil
    ) async throws -> Incident {
        try await database.transaction { sql in
            guard let old = try await Self.load(sql, id: id, forUpdate: true) else { throw IncidentError.notFound(id) }
            let incident = try await Self.moveStatus(sql, old, to: status, reason: reason, actor: actor, now: now)
            try await audit.write(incident, in: sql)
            return incident
        }
    }

    private static func moveStatus(
        _ sql: any SQLDatabase,
        _ old: Incident,
        to status: IncidentStatus,
        reason: String,
        actor: String,
        now: Date
    ) async throws -> Incident {
        let id = old.id
        guard old.status.canMove(to: status) else {
            throw IncidentError.transitionRefused(from: old.status, to: status)
        }
        var times = old.times
        if status == .contained, times.containedAt == nil { times.containedAt = now }
        if status == .closed || status == .recovered, times.resolvedAt == nil { times.resolvedAt = now }
        if status == .falsePositive, times.resolvedAt == nil { times.resolvedAt = now }
        try await sql.raw(
            """
            UPDATE incidents SET status = \(bind: status.rawValue), contained_at = \(bind: times.containedAt?.epochMilliseconds),
                resolved_at = \(bind: times.resolvedAt?.epochMilliseconds), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id)
            """
        ).run()
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try await Self.append(
            sql,
            incidentID: id,
            at: now,
            author: actor,
            kind: .change,
            visibility: .internal,
            text: why,
            event: .statusChanged(from: old.status, to: status)
        )
        return try await Self.load(sql, id: id)!
    }

    /// Assigns a staff member to a role, or clears the role (never the commander: an incident always has one).
    @discardableResult
    public func assign(
        id: Int64,
        role: IncidentRole,
        userID: Int64?,
        actor: String,
        now: Date,
        audit: Audited<Incident>? = nil
    ) async throws -> Incident {
        try await database.transaction { sql in
            guard let old = try await Self.load(sql, id: id, forUpdate: true) else { throw IncidentError.notFound(id) }
            if userID == nil && role == .commander {
                throw IncidentError.invalid([
                    FieldProblem(
                        "commander",
                        .l("an incident always has a commander", "tapauksella on aina tilannejohtaja")
                    )
                ])
            }
            var name: String?
            if let userID {
                guard
                    let row = try await sql.raw(
                        "SELECT display_name FROM staff_users WHERE id = \(bind: userID) AND status = 'active'"
                    ).first()
                else {
                    throw IncidentError.invalid([
                        FieldProblem(role.rawValue, .l("choose an active staff member", "valitse aktiivinen henkilö"))
                    ])
                }
                name = try row.decode(column: "display_name", as: String.self)
            }
            guard old.roles[role] != userID else { return old }
            try await sql.raw(
                "DELETE FROM incident_roles WHERE incident_id = \(bind: id) AND role = \(bind: role.rawValue)"
            ).run()
            if let userID {
                try await sql.raw(
                    "INSERT INTO incident_roles (incident_id, role, user_id) VALUES (\(bind: id), \(bind: role.rawValue), \(bind: userID))"
                ).run()
            }
            try await sql.raw("UPDATE incidents SET updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)")
                .run()
            try await Self.append(
                sql,
                incidentID: id,
                at: now,
                author: actor,
                kind: .change,
                visibility: .internal,
                event: .roleAssigned(role: role, person: name)
            )
            let incident = try await Self.load(sql, id: id)!
            try await audit.write(incident, in: sql)
            return incident
        }
    }

    public func setLessons(
        id: Int64,
        _ lessons: String,
        actor: String,
        now: Date,
        audit: Audited<Void>? = nil
    ) async throws {
        guard lessons.count <= 50_000 else {
            let maximum = 50_000
            throw IncidentError.invalid([
                FieldProblem("lessons", .l("at most \(maximum) characters", "enintään \(maximum) merkkiä"))
            ])
        }
        try await database.transaction { sql in
            guard try await Self.load(sql, id: id, forUpdate: true) != nil else { throw IncidentError.notFound(id) }
            try await sql.raw(
                "UPDATE incidents SET lessons = \(bind: lessons), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)"
            ).run()
            try await Self.append(
                sql,
                incidentID: id,
                at: now,
                author: actor,
                kind: .change,
                visibility: .internal,
                event: .lessonsUpdated
            )
            try await audit.write((), in: sql)
        }
    }

    /// The incident's impact assumptions, or the defaults when nobody has edited them.
    public func impactAssumptions(id: Int64) async throws -> ImpactAssumptions {
        try await database.read { sql in
            guard let row = try await sql.raw("SELECT impact FROM incidents WHERE id = \(bind: id)").first() else {
                throw IncidentError.notFound(id)
            }
            guard let text = try row.decode(column: "impact", as: String?.self) else { return .defaults }
            return (try? JSONDecoder().decode(ImpactAssumptions.self, from: Data(text.utf8))) ?? .defaults
        }
    }

    public func setImpactAssumptions(
        id: Int64,
        _ assumptions: ImpactAssumptions,
        actor: String,
        now: Date,
        audit: Audited<Void>? = nil
    ) async throws {
        let problems = assumptions.problems()
        guard problems.isEmpty else { throw IncidentError.invalid(problems) }
        let json = String(decoding: try JSONEncoder().encode(assumptions), as: UTF8.self)
        try await database.transaction { sql in
            guard try await Self.load(sql, id: id, forUpdate: true) != nil else { throw IncidentError.notFound(id) }
            try await sql.raw(
                "UPDATE incidents SET impact = \(bind: json), updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)"
            ).run()
            try await Self.append(
                sql,
                incidentID: id,
                at: now,
                author: actor,
                kind: .change,
                visibility: .internal,
                event: .impactAssumptionsUpdated
            )
            try await audit.write((), in: sql)
        }
    }

    // MARK: Timeline

    /// Adds a note, decision or notice. Changes and task events are written by Kilpi itself. `occurredAt` dates
    /// an entry recorded after the fact; it cannot lie in the future.
    @discardableResult
    public func addEntry(
        incidentID: Int64,
        kind: TimelineEntry.Kind,
        visibility: TimelineEntry.Visibility,
        text: String,
        occurredAt: Date? = nil,
        author: String,
        now: Date,
        audit: Audited<TimelineEntry>? = nil
    ) async throws -> TimelineEntry {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if let occurredAt, occurredAt > now.addingTimeInterval(60) {
            problems.append(FieldProblem("occurred_at", .l("cannot be in the future", "ei voi olla tulevaisuudessa")))
        }
        if trimmed.isEmpty || trimmed.count > TimelineEntry.maximumText {
            let maximum = TimelineEntry.maximumText
            problems.append(
                FieldProblem("text", .l("enter 1 to \(maximum) characters", "kirjoita 1–\(maximum) merkkiä"))
            )
        }
        if ![.note, .decision, .notice].contains(kind) {
            problems.append(
                FieldProblem("kind", .l("use note, decision or notice", "käytä arvoa note, decision tai notice"))
            )
        }
        guard problems.isEmpty else { throw IncidentError.invalid(problems) }
        return try await database.transaction { sql in
            guard try await Self.load(sql, id: incidentID) != nil else { throw IncidentError.notFound(incidentID) }
            let id = try await Self.append(
                sql,
                incidentID: incidentID,
                at: now,
                occurredAt: occurredAt,
                author: author,
                kind: kind,
                visibility: visibility,
                text: trimmed
            )
            let entry = TimelineEntry(
                id: id,
                incidentID: incidentID,
                at: now,
                author: author,
                kind: kind,
                visibility: visibility,
                text: trimmed,
                occurredAt: occurredAt
            )
            try await audit.write(entry, in: sql)
            return entry
        }
    }

    /// The timeline in the order things happened (`TimelineEntry.chronological`), not the order they were typed.
    public func timeline(incidentID: Int64) async throws -> [TimelineEntry] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT * FROM incident_timeline WHERE incident_id = \(bind: incidentID)
                ORDER BY COALESCE(occurred_at, at), id
                """
            )
            .all().map { row in
                let json = try row.decode(column: "event", as: String?.self)
                let event = json.flatMap(TimelineEvent.init(json:))
                var entry = TimelineEntry(
                    id: try row.decode(column: "id", as: Int64.self),
                    incidentID: incidentID,
                    at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
                    author: try row.decode(column: "author", as: String.self),
                    kind: TimelineEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .note,
                    visibility: TimelineEntry.Visibility(
                        rawValue: try row.decode(column: "visibility", as: String.self)
                    ) ?? .internal,
                    text: try row.decode(column: "text", as: String.self),
                    event: event,
                    occurredAt: try row.decode(column: "occurred_at", as: Int64?.self).map(
                        Date.init(epochMilliseconds:)
                    )
                )
                entry.eventUnreadable = json != nil && event == nil
                return entry
            }
        }
    }

    /// Writes one timeline entry: Kilpi's own record as a typed `event`, the person's words (a note, a reason) as
    /// `text`. Store writes no prose of its own; readers render the event in their language.
    @discardableResult
    static func append(
        _ sql: any SQLDatabase,
        incidentID: Int64,
        at: Date,
        occurredAt: Date? = nil,
        author: String,
        kind: TimelineEntry.Kind,
        visibility: TimelineEntry.Visibility,
        text: String = "",
        event: TimelineEvent? = nil
    ) async throws -> Int64 {
        try await sql.raw(
            """
            INSERT INTO incident_timeline (incident_id, at, occurred_at, author, kind, visibility, text, event)
            VALUES (\(bind: incidentID), \(bind: at.epochMilliseconds), \(bind: occurredAt?.epochMilliseconds), \(bind: author), \(bind: kind.rawValue), \(bind: visibility.rawValue), \(bind: text), \(bind: event?.json))
            RETURNING id
            """
        ).first().map { try $0.decode(column: "id", as: Int64.self) }!
    }

    // MARK: Rows

    static func load(_ sql: any SQLDatabase, id: Int64, forUpdate: Bool = false) async throws -> Incident? {
        // PostgreSQL: lock the row so two concurrent edits cannot both read the old state. SQLite's write
        // transaction already serialises writers.
        let lock = forUpdate && sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        guard let row = try await sql.raw("SELECT * FROM incidents WHERE id = \(bind: id)\(unsafeRaw: lock)").first()
        else { return nil }
        return try decode(row, roles: try await roles(sql, id: id))
    }

    static func roles(_ sql: any SQLDatabase, id: Int64) async throws -> [IncidentRole: Int64] {
        var roles: [IncidentRole: Int64] = [:]
        for row in try await sql.raw("SELECT role, user_id FROM incident_roles WHERE incident_id = \(bind: id)").all() {
            if let role = IncidentRole(rawValue: try row.decode(column: "role", as: String.self)) {
                roles[role] = try row.decode(column: "user_id", as: Int64.self)
            }
        }
        return roles
    }

    static func decode(_ row: any SQLRow, roles: [IncidentRole: Int64]) throws -> Incident {
        func time(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        return Incident(
            id: try row.decode(column: "id", as: Int64.self),
            title: try row.decode(column: "title", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            kinds: kinds(try row.decode(column: "kinds", as: String.self)),
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .sev1,
            status: IncidentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .analysing,
            times: KeyTimes(
                occurredAt: try time("occurred_at"),
                detectedAt: try time("detected_at"),
                awareAt: try time("aware_at"),
                containedAt: try time("contained_at"),
                resolvedAt: try time("resolved_at")
            ),
            roles: roles,
            declaredAt: Date(epochMilliseconds: try row.decode(column: "declared_at", as: Int64.self)),
            declaredBy: try row.decode(column: "declared_by", as: String.self),
            lessons: try row.decode(column: "lessons", as: String.self)
        )
    }

    static func kindsText(_ kinds: [ThreatKind]) -> String { kinds.map(\.rawValue).joined(separator: ",") }
    static func kinds(_ text: String) -> [ThreatKind] {
        text.split(separator: ",").compactMap { ThreatKind(rawValue: String($0)) }
    }
}
