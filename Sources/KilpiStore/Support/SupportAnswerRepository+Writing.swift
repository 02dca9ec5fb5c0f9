import Foundation
import KilpiCore
import SQLKit

/// Creating, changing and deleting answers: checked first (every problem named by its field, nothing written on
/// a refusal), then the change and its audit entry in one transaction.
extension SupportAnswerRepository {
    /// A new answer for the incident; without a position it goes after the incident's last one in its language.
    public func create(
        incidentID: Int64,
        _ draft: SupportAnswerDraft,
        by caller: Caller,
        now: Date
    ) async throws -> SupportAnswer {
        let draft = try Self.checked(draft)
        let audit = self.audit
        return try await database.transaction { sql in
            guard try await sql.raw("SELECT id FROM incidents WHERE id = \(bind: incidentID)").first() != nil else {
                throw SupportError(
                    [
                        FieldProblem(
                            "incident",
                            .l("incident \(incidentID) does not exist", "tapausta \(incidentID) ei ole")
                        )
                    ],
                    notFound: true
                )
            }
            let position: Int
            if let given = draft.position {
                position = given
            } else {
                let last = try await sql.raw(
                    """
                    SELECT max(position) AS last FROM support_answers
                    WHERE incident_id = \(bind: incidentID) AND language = \(bind: draft.language.rawValue)
                    """
                ).first().flatMap { try $0.decode(column: "last", as: Int?.self) }
                position = min((last ?? -1) + 1, Self.maximumPosition)
            }
            let actor = caller.actor.description
            let nowMs = now.epochMilliseconds
            let id = try await sql.raw(
                """
                INSERT INTO support_answers (incident_id, language, question, answer, faq, position, created_by,
                    created_at, updated_by, updated_at)
                VALUES (\(bind: incidentID), \(bind: draft.language.rawValue), \(bind: draft.question),
                    \(bind: draft.answer), \(bind: draft.faq), \(bind: position), \(bind: actor), \(bind: nowMs),
                    \(bind: actor), \(bind: nowMs))
                RETURNING id
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }!
            try await audit.append(
                caller.event(
                    .supportAnswerCreate,
                    target: "support_answer:\(id)",
                    detail: "incident:\(incidentID) \(draft.language.rawValue) faq:\(draft.faq) position:\(position)"
                ),
                now: now,
                in: sql
            )
            return try await Self.load(sql, id: id)!
        }
    }

    /// Replaces the answer's language, texts and FAQ flag (and its position when the draft gives one).
    public func update(
        id: Int64,
        _ draft: SupportAnswerDraft,
        by caller: Caller,
        now: Date
    ) async throws
        -> SupportAnswer
    {
        let draft = try Self.checked(draft)
        let audit = self.audit
        return try await database.transaction { sql in
            guard let current = try await Self.load(sql, id: id, forUpdate: true) else {
                throw Self.notFound(id)
            }
            let position = draft.position ?? current.position
            let unchanged =
                current.language == draft.language && current.question == draft.question
                && current.answer == draft.answer && current.faq == draft.faq && current.position == position
            // Saving the same form twice changes nothing and audits nothing.
            guard !unchanged else { return current }
            try await sql.raw(
                """
                UPDATE support_answers SET language = \(bind: draft.language.rawValue), question = \(bind: draft.question),
                    answer = \(bind: draft.answer), faq = \(bind: draft.faq), position = \(bind: position),
                    updated_by = \(bind: caller.actor.description), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id)
                """
            ).run()
            try await audit.append(
                caller.event(
                    .supportAnswerUpdate,
                    target: "support_answer:\(id)",
                    detail:
                        "incident:\(current.incidentID) \(draft.language.rawValue) faq:\(draft.faq) position:\(position)"
                ),
                now: now,
                in: sql
            )
            return try await Self.load(sql, id: id)!
        }
    }

    /// Deletes the answer; a second delete of the same one is "not found".
    public func delete(id: Int64, by caller: Caller, now: Date) async throws {
        let audit = self.audit
        try await database.transaction { sql in
            guard let current = try await Self.load(sql, id: id, forUpdate: true) else { throw Self.notFound(id) }
            try await sql.raw("DELETE FROM support_answers WHERE id = \(bind: id)").run()
            try await audit.append(
                caller.event(
                    .supportAnswerDelete,
                    target: "support_answer:\(id)",
                    detail: "incident:\(current.incidentID) \(current.language.rawValue) faq:\(current.faq)"
                ),
                now: now,
                in: sql
            )
        }
    }

    static func notFound(_ id: Int64) -> SupportError {
        SupportError(
            [FieldProblem("answer", .l("answer \(id) does not exist", "vastausta \(id) ei ole"))],
            notFound: true
        )
    }

    /// The draft with trimmed texts and `\n` line ends, or every problem by its field.
    static func checked(_ draft: SupportAnswerDraft) throws -> SupportAnswerDraft {
        var problems: [FieldProblem] = []
        func text(_ value: String, field: String, maximum: Int, empty: LocalizedMessage) -> String {
            let cleaned = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if cleaned.isEmpty {
                problems.append(FieldProblem(field, empty))
            } else if cleaned.count > maximum {
                problems.append(
                    FieldProblem(
                        field,
                        .l(
                            "at most \(maximum) characters (this has \(cleaned.count))",
                            "enintään \(maximum) merkkiä (tässä on \(cleaned.count))"
                        )
                    )
                )
            } else if cleaned.unicodeScalars.contains(where: Self.isControl) {
                problems.append(
                    FieldProblem(field, .l("remove the control characters", "poista ohjausmerkit"))
                )
            }
            return cleaned
        }
        var result = draft
        result.question = text(
            draft.question,
            field: "question",
            maximum: maximumQuestionLength,
            empty: .l("write the question", "kirjoita kysymys")
        )
        result.answer = text(
            draft.answer,
            field: "answer",
            maximum: maximumAnswerLength,
            empty: .l("write the answer", "kirjoita vastaus")
        )
        if problems.allSatisfy({ $0.field != "answer" }), let problem = SupportReplyLinks.problem(in: result.answer) {
            problems.append(FieldProblem("answer", problem))
        }
        if let position = draft.position, !(0...maximumPosition).contains(position) {
            problems.append(
                FieldProblem(
                    "position",
                    .l("use a whole number from 0 to \(maximumPosition)", "käytä kokonaislukua 0–\(maximumPosition)")
                )
            )
        }
        guard problems.isEmpty else { throw SupportError(problems) }
        return result
    }

    /// Control characters other than line feed and tab, and the bidirectional overrides that make text read
    /// differently from how it is stored: invisible text has no place in an answer customers read.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" || scalar == "\t" { return false }
        return scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }
}
