import Foundation
import KilpiCore
import SQLKit

/// The security measures register (`trust_measures`). Each change is audited in its own transaction. Editing a
/// measure never changes whether the public sees it: `setPublic` does that, for callers the web layer lets keep
/// the trust center.
public struct MeasureRepository: Sendable {
    let database: Database
    let audit: any AuditLog

    public init(database: Database, audit: any AuditLog) {
        self.database = database
        self.audit = audit
    }

    public func create(_ input: MeasureInput, by caller: Caller, now: Date) async throws -> SecurityMeasure {
        let audit = audit
        return try await database.transaction { sql in
            try await Self.checkReferences(input, excluding: nil, in: sql)
            let row = try await sql.raw(
                """
                INSERT INTO trust_measures (area, language, title, summary, status, owner_id, due_on, last_reviewed_on,
                    performed_on, findings_total, findings_closed, evidence, incident_id, task_id, public, updated_by,
                    updated_at)
                VALUES (\(bind: input.area.rawValue), \(bind: input.language.rawValue), \(bind: input.title),
                    \(bind: input.summary), \(bind: input.status.rawValue), \(bind: input.ownerID),
                    \(bind: input.dueOn?.epochMilliseconds), \(bind: input.lastReviewedOn?.epochMilliseconds),
                    \(bind: input.performedOn?.epochMilliseconds), \(bind: input.findings?.total),
                    \(bind: input.findings?.closed), \(bind: input.evidence), \(bind: input.incidentID),
                    \(bind: input.taskID), 0, \(bind: caller.actor.description), \(bind: now.epochMilliseconds))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first()
            let measure = try Self.measure(row!)
            try await audit.append(
                caller.event(.measureCreate, target: "measure:\(measure.id)", detail: Self.detail(input)),
                now: now,
                in: sql
            )
            return measure
        }
    }

    /// Replaces a measure's fields (not whether it is public); nil when there is none with `id`.
    public func update(id: Int64, _ input: MeasureInput, by caller: Caller, now: Date) async throws -> SecurityMeasure?
    {
        let audit = audit
        return try await database.transaction { sql in
            try await Self.checkReferences(input, excluding: id, in: sql)
            guard
                let row = try await sql.raw(
                    """
                    UPDATE trust_measures SET area = \(bind: input.area.rawValue),
                        language = \(bind: input.language.rawValue), title = \(bind: input.title),
                        summary = \(bind: input.summary), status = \(bind: input.status.rawValue),
                        owner_id = \(bind: input.ownerID), due_on = \(bind: input.dueOn?.epochMilliseconds),
                        last_reviewed_on = \(bind: input.lastReviewedOn?.epochMilliseconds),
                        performed_on = \(bind: input.performedOn?.epochMilliseconds),
                        findings_total = \(bind: input.findings?.total), findings_closed = \(bind: input.findings?.closed),
                        evidence = \(bind: input.evidence), incident_id = \(bind: input.incidentID),
                        task_id = \(bind: input.taskID), updated_by = \(bind: caller.actor.description),
                        updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: id)
                    RETURNING \(unsafeRaw: Self.columns)
                    """
                ).first()
            else { return nil }
            try await audit.append(
                caller.event(.measureUpdate, target: "measure:\(id)", detail: Self.detail(input)),
                now: now,
                in: sql
            )
            return try Self.measure(row)
        }
    }

    /// Shows a measure on the public trust center or takes it off; nil when there is none with `id`. Setting
    /// what it already is changes and audits nothing.
    public func setPublic(id: Int64, _ shown: Bool, by caller: Caller, now: Date) async throws -> SecurityMeasure? {
        let audit = audit
        return try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    """
                    UPDATE trust_measures SET public = \(bind: shown ? 1 : 0), updated_by = \(bind: caller.actor.description),
                        updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: id) AND public <> \(bind: shown ? 1 : 0)
                    RETURNING \(unsafeRaw: Self.columns)
                    """
                ).first()
            else {
                return try await sql.raw(
                    "SELECT \(unsafeRaw: Self.columns) FROM trust_measures WHERE id = \(bind: id)"
                ).first().map(Self.measure)
            }
            let measure = try Self.measure(row)
            try await audit.append(
                caller.event(
                    shown ? .measureShow : .measureHide,
                    target: "measure:\(id)",
                    detail: "\(measure.area.rawValue) \(measure.title.prefix(80))"
                ),
                now: now,
                in: sql
            )
            return measure
        }
    }

    public func find(id: Int64) async throws -> SecurityMeasure? {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM trust_measures WHERE id = \(bind: id)")
                .first().map(Self.measure)
        }
    }

    /// The register in the public page's order (by area, then title); `publicOnly` for the public site.
    public func list(publicOnly: Bool = false) async throws -> [SecurityMeasure] {
        let measures = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM trust_measures
                \(unsafeRaw: publicOnly ? "WHERE public = 1" : "") ORDER BY title, id
                """
            ).all().map(Self.measure)
        }
        let order = Dictionary(uniqueKeysWithValues: SecurityMeasure.Area.allCases.enumerated().map { ($1, $0) })
        return measures.sorted { (order[$0.area] ?? 0) < (order[$1.area] ?? 0) }
    }

    /// The measures an incident's tasks promised, by task id.
    public func byTask(incidentID: Int64) async throws -> [Int64: SecurityMeasure] {
        let measures = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM trust_measures
                WHERE incident_id = \(bind: incidentID) AND task_id IS NOT NULL
                """
            ).all().map(Self.measure)
        }
        return Dictionary(measures.map { ($0.taskID!, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether the register ever held anything: the demo seeds only an empty one.
    public func isEmpty() async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT id FROM trust_measures LIMIT 1").first() == nil
        }
    }

    /// The owner is a staff user, the incident exists, the task is one of that incident's and no other measure
    /// tracks it.
    static func checkReferences(_ input: MeasureInput, excluding id: Int64?, in sql: any SQLDatabase) async throws {
        var problems: [FieldProblem] = []
        if let owner = input.ownerID,
            try await sql.raw("SELECT id FROM staff_users WHERE id = \(bind: owner)").first() == nil
        {
            problems.append(FieldProblem("owner", .l("no such user", "käyttäjää ei ole")))
        }
        if let incident = input.incidentID,
            try await sql.raw("SELECT id FROM incidents WHERE id = \(bind: incident)").first() == nil
        {
            problems.append(
                FieldProblem("incident", .l("incident \(incident) does not exist", "tapausta \(incident) ei ole"))
            )
        }
        if let task = input.taskID {
            let row = try await sql.raw("SELECT incident_id FROM incident_tasks WHERE id = \(bind: task)").first()
            if try row?.decode(column: "incident_id", as: Int64.self) != input.incidentID {
                problems.append(
                    FieldProblem(
                        "task",
                        .l("task \(task) is not one of this incident's", "tehtävä \(task) ei ole tämän tapauksen")
                    )
                )
            } else if let other = try await sql.raw(
                """
                SELECT id FROM trust_measures WHERE task_id = \(bind: task) AND id <> \(bind: id ?? 0)
                """
            ).first() {
                let otherID = try other.decode(column: "id", as: Int64.self)
                problems.append(
                    FieldProblem(
                        "task",
                        .l(
                            "measure \(otherID) already tracks this task: change that one",
                            "toimi \(otherID) seuraa jo tätä tehtävää: muuta sitä"
                        )
                    )
                )
            }
        }
        guard problems.isEmpty else { throw MeasureError(problems) }
    }

    static let columns = """
        id, area, language, title, summary, status, owner_id, due_on, last_reviewed_on, performed_on, findings_total, \
        findings_closed, evidence, incident_id, task_id, public, updated_by, updated_at
        """

    static func measure(_ row: any SQLRow) throws -> SecurityMeasure {
        func day(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        var findings: SecurityMeasure.Findings?
        if let total = try row.decode(column: "findings_total", as: Int?.self),
            let closed = try row.decode(column: "findings_closed", as: Int?.self)
        {
            findings = SecurityMeasure.Findings(total: total, closed: closed)
        }
        return SecurityMeasure(
            id: try row.decode(column: "id", as: Int64.self),
            area: SecurityMeasure.Area(rawValue: try row.decode(column: "area", as: String.self)) ?? .other,
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            title: try row.decode(column: "title", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            status: SecurityMeasure.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
            ownerID: try row.decode(column: "owner_id", as: Int64?.self),
            dueOn: try day("due_on"),
            lastReviewedOn: try day("last_reviewed_on"),
            performedOn: try day("performed_on"),
            findings: findings,
            evidence: try row.decode(column: "evidence", as: String.self),
            incidentID: try row.decode(column: "incident_id", as: Int64?.self),
            taskID: try row.decode(column: "task_id", as: Int64?.self),
            isPublic: try row.decode(column: "public", as: Int.self) != 0,
            updatedBy: try row.decode(column: "updated_by", as: String.self),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self))
        )
    }

    /// What the audit entry records: area, status, the incident task, the title's start.
    static func detail(_ input: MeasureInput) -> String {
        var parts = [input.area.rawValue, input.status.rawValue]
        if let incident = input.incidentID { parts.append("incident:\(incident)") }
        if let task = input.taskID { parts.append("task:\(task)") }
        parts.append(String(input.title.prefix(80)))
        return parts.joined(separator: " ")
    }
}

/// Why a measure was refused: the fields and the reasons, in the reader's language.
public struct MeasureError: Error, Sendable, Equatable {
    public let problems: [FieldProblem]

    init(_ problems: [FieldProblem]) { self.problems = problems }
}
