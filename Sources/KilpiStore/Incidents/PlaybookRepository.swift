import Foundation
import KilpiCore
import SQLKit

/// Playbooks and the response plan, stored as the JSON documents people edit.
public struct PlaybookRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Installs the shipped playbooks that are missing, and brings a shipped one that nobody has saved since it was
    /// installed (still written by `kilpi`) up to the shipped text, so an installation gets, for example, the Swedish
    /// added later; a playbook the company has saved (and so edited or reviewed) is left as it is. Each such update
    /// writes `audit`'s entry in the same transaction.
    public func installDefaults(_ playbooks: [Playbook], now: Date, audit: Audited<Playbook>? = nil) async throws {
        try await database.transaction { sql in
            for playbook in playbooks {
                guard try await sql.raw("SELECT id FROM playbooks WHERE id = \(bind: playbook.id)").first() == nil
                else {
                    let updated = try await sql.raw(
                        """
                        UPDATE playbooks SET document = \(bind: playbook.json()), threat_kind = \(bind: playbook.threatKind.rawValue), updated_at = \(bind: now.epochMilliseconds)
                        WHERE id = \(bind: playbook.id) AND updated_by = 'kilpi' AND document <> \(bind: playbook.json()) RETURNING id
                        """
                    ).all()
                    if !updated.isEmpty { try await audit.write(playbook, in: sql) }
                    continue
                }
                try await Self.write(sql, playbook, actor: "kilpi", now: now)
            }
        }
    }

    public func all() async throws -> [Playbook] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT document FROM playbooks ORDER BY id").all().compactMap { row in
                // Stored documents were validated on the way in; one that no longer parses is skipped, not fatal.
                try? PlaybookParser.parse(try row.decode(column: "document", as: String.self))
            }
        }
    }

    public func find(id: String) async throws -> Playbook? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT document FROM playbooks WHERE id = \(bind: id)").first().flatMap { row in
                try? PlaybookParser.parse(try row.decode(column: "document", as: String.self))
            }
        }
    }

    /// Saves an edited playbook. Saving is a review: the review date becomes today. A document with a
    /// different id than `expectedID` is refused, so an edit cannot overwrite another playbook.
    public func save(
        document: String,
        expectedID: String?,
        actor: String,
        now: Date,
        audit: Audited<Playbook>? = nil
    ) async throws -> Playbook {
        var playbook: Playbook
        do { playbook = try PlaybookParser.parse(document) } catch {
            throw IncidentError.invalid([error.fieldProblem()])
        }
        if let expectedID, playbook.id != expectedID {
            let found = playbook.id
            throw IncidentError.invalid([
                FieldProblem(
                    "id",
                    .l(
                        "is \"\(found)\" but this page edits \"\(expectedID)\"",
                        "on \"\(found)\", mutta tällä sivulla muokataan toimintaohjetta \"\(expectedID)\""
                    )
                )
            ])
        }
        playbook.reviewedOn = UTCDay.parse(UTCDay.format(now)) ?? now
        if let stored = try await find(id: playbook.id) { playbook = playbook.droppingStaleSwedish(comparedTo: stored) }
        let saved = playbook
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM playbooks WHERE id = \(bind: saved.id)").run()
            try await Self.write(sql, saved, actor: actor, now: now)
            try await audit.write(saved, in: sql)
        }
        return saved
    }

    private static func write(_ sql: any SQLDatabase, _ playbook: Playbook, actor: String, now: Date) async throws {
        try await sql.raw(
            """
            INSERT INTO playbooks (id, threat_kind, document, updated_at, updated_by)
            VALUES (\(bind: playbook.id), \(bind: playbook.threatKind.rawValue), \(bind: playbook.json()), \(bind: now.epochMilliseconds), \(bind: actor))
            """
        ).run()
    }

    // MARK: The response plan

    /// The plan; an empty one (which the plan check will criticise) until somebody writes it.
    public func plan() async throws -> ResponsePlan {
        try await database.withConnection { sql in
            guard let row = try await sql.raw("SELECT document FROM response_plan WHERE id = 1").first() else {
                return ResponsePlan()
            }
            return (try? ResponsePlan.parse(try row.decode(column: "document", as: String.self))) ?? ResponsePlan()
        }
    }

    @discardableResult
    public func savePlan(
        document: String,
        actor: String,
        now: Date,
        audit: Audited<ResponsePlan>? = nil
    ) async throws -> ResponsePlan {
        let plan: ResponsePlan
        do { plan = try ResponsePlan.parse(document) } catch {
            throw IncidentError.invalid([error.fieldProblem()])
        }
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM response_plan WHERE id = 1").run()
            try await sql.raw(
                """
                INSERT INTO response_plan (id, document, updated_at, updated_by) VALUES (1, \(bind: plan.json()), \(bind: now.epochMilliseconds), \(bind: actor))
                """
            ).run()
            try await audit.write(plan, in: sql)
        }
        return plan
    }
}
