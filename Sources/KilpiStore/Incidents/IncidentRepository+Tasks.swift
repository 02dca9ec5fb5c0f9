import Foundation
import KilpiCore
import SQLKit

/// An overdue task with its incident, for the dashboard.
public struct OverdueTask: Sendable, Equatable {
    public let task: IncidentTask
    public let incidentTitle: String
}

extension IncidentRepository {
    static func instantiate(
        _ sql: any SQLDatabase,
        playbooks: [Playbook],
        incidentID: Int64,
        declaredAt: Date,
        actor: String,
        now: Date
    ) async throws {
        guard !playbooks.isEmpty else { return }
        let encoder = JSONEncoder()
        for task in IncidentTask.instantiate(playbooks, incidentID: incidentID, declaredAt: declaredAt) {
            try await sql.raw(
                """
                INSERT INTO incident_tasks (incident_id, playbook_id, title_en, title_fi, title_sv, phase, owner, purpose, checklist, due_at)
                VALUES (\(bind: incidentID), \(bind: task.playbookID), \(bind: task.title.en), \(bind: task.title.fi), \(bind: task.title.sv), \(bind: task.phase.rawValue),
                        \(bind: task.owner.rawValue), \(bind: task.purpose?.rawValue), \(bind: String(decoding: try encoder.encode(task.checklist), as: UTF8.self)),
                        \(bind: task.dueAt.epochMilliseconds))
                """
            ).run()
        }
        try await append(
            sql,
            incidentID: incidentID,
            at: now,
            author: actor,
            kind: .task,
            visibility: .internal,
            event: .playbookTasksAdded(playbooks: playbooks.map { .init(playbookID: $0.id, count: $0.steps.count) })
        )
    }

    /// The incident's tasks, earliest due first.
    public func tasks(incidentID: Int64) async throws -> [IncidentTask] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT * FROM incident_tasks WHERE incident_id = \(bind: incidentID) ORDER BY due_at, id"
            ).all().map(Self.decodeTask)
        }
    }

    /// One task, by its id.
    public func task(id: Int64) async throws -> IncidentTask? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT * FROM incident_tasks WHERE id = \(bind: id)").first().map(Self.decodeTask)
        }
    }

    /// Marks a task done (or open again) and says so on the timeline.
    @discardableResult
    public func setTaskDone(
        incidentID: Int64,
        taskID: Int64,
        done: Bool,
        actor: String,
        now: Date,
        audit: Audited<IncidentTask>? = nil
    ) async throws -> IncidentTask {
        try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    "SELECT * FROM incident_tasks WHERE id = \(bind: taskID) AND incident_id = \(bind: incidentID)"
                ).first()
            else {
                throw IncidentError.taskNotFound(taskID)
            }
            var task = try Self.decodeTask(row)
            guard (task.doneAt != nil) != done else { return task }
            task.doneAt = done ? now : nil
            task.doneBy = done ? actor : nil
            try await sql.raw(
                "UPDATE incident_tasks SET done_at = \(bind: task.doneAt?.epochMilliseconds), done_by = \(bind: task.doneBy) WHERE id = \(bind: taskID)"
            ).run()
            let late = task.dueAt < now ? now.timeIntervalSince(task.dueAt) : nil
            try await Self.append(
                sql,
                incidentID: incidentID,
                at: now,
                author: actor,
                kind: .task,
                visibility: .internal,
                event: done
                    ? .taskDone(taskID: taskID, title: task.title, late: late)
                    : .taskReopened(taskID: taskID, title: task.title)
            )
            try await audit.write(task, in: sql)
            return task
        }
    }

    /// Open tasks past their due time on incidents that are still open, most overdue first.
    public func overdueTasks(now: Date, limit: Int = 50) async throws -> [OverdueTask] {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT t.*, i.title AS incident_title FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id
                WHERE t.done_at IS NULL AND t.due_at < \(bind: now.epochMilliseconds) AND i.status NOT IN ('closed', 'false_positive')
                ORDER BY t.due_at, t.id LIMIT \(unsafeRaw: String(limit))
                """
            ).all().map { row in
                OverdueTask(
                    task: try Self.decodeTask(row),
                    incidentTitle: try row.decode(column: "incident_title", as: String.self)
                )
            }
        }
    }

    static func decodeTask(_ row: any SQLRow) throws -> IncidentTask {
        let checklist =
            (try? JSONDecoder().decode(
                [LocalizedText].self,
                from: Data(try row.decode(column: "checklist", as: String.self).utf8)
            )) ?? []
        return IncidentTask(
            id: try row.decode(column: "id", as: Int64.self),
            incidentID: try row.decode(column: "incident_id", as: Int64.self),
            playbookID: try row.decode(column: "playbook_id", as: String.self),
            title: LocalizedText(
                en: try row.decode(column: "title_en", as: String.self),
                fi: try row.decode(column: "title_fi", as: String.self),
                sv: try row.decode(column: "title_sv", as: String?.self)
            ),
            phase: PlaybookPhase(rawValue: try row.decode(column: "phase", as: String.self)) ?? .analysis,
            owner: IncidentRole(rawValue: try row.decode(column: "owner", as: String.self)) ?? .commander,
            purpose: try row.decode(column: "purpose", as: String?.self).flatMap(StepPurpose.init(rawValue:)),
            checklist: checklist,
            dueAt: Date(epochMilliseconds: try row.decode(column: "due_at", as: Int64.self)),
            doneAt: try row.decode(column: "done_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            doneBy: try row.decode(column: "done_by", as: String?.self)
        )
    }
}
