import Foundation
import KilpiCore
import SQLKit

extension AuditAction {
    // Support answers (FAQ and canned answers). Details name the incident, language and flags, never the text.
    public static let supportAnswerCreate = AuditAction(rawValue: "support.answer_create")
    public static let supportAnswerUpdate = AuditAction(rawValue: "support.answer_update")
    public static let supportAnswerDelete = AuditAction(rawValue: "support.answer_delete")
}

/// A question and its answer for one incident in one language: staff insert it into replies (a canned answer)
/// and, when `faq` is set, customers read it on their personal page.
public struct SupportAnswer: Sendable, Equatable {
    public let id: Int64
    public let incidentID: Int64
    public let language: Language
    public let question: String
    public let answer: String
    /// Shown on the customers' pages of this incident.
    public let faq: Bool
    /// Order on the page and in the canned-answer list (lowest first, then by id).
    public let position: Int
    public let createdBy: String
    public let createdAt: Date
    public let updatedBy: String
    public let updatedAt: Date
}

/// One entry of the FAQ a customer reads: the incident's own, or one of the shipped general entries.
public struct SupportFAQEntry: Sendable, Equatable {
    public let question: String
    public let answer: String
    /// The stored answer; nil for a shipped general entry.
    public let answerID: Int64?

    public init(question: String, answer: String, answerID: Int64? = nil) {
        self.question = question
        self.answer = answer
        self.answerID = answerID
    }
}

/// What staff write for an answer; `SupportAnswerRepository.create/update` check it.
public struct SupportAnswerDraft: Sendable, Equatable {
    public var language: Language
    public var question: String
    public var answer: String
    public var faq: Bool
    /// Nil: after the incident's last answer in this language (on create), unchanged (on update).
    public var position: Int?

    public init(language: Language, question: String, answer: String, faq: Bool, position: Int? = nil) {
        self.language = language
        self.question = question
        self.answer = answer
        self.faq = faq
        self.position = position
    }
}

/// The FAQ and canned answers per incident and language (`store.supportAnswers`). Every write is checked first and
/// audited in its own transaction; reading is not audited (the text is the company's, not a customer's).
public struct SupportAnswerRepository: Sendable {
    let database: Database
    let audit: any AuditLog

    public init(database: Database, audit: any AuditLog) {
        self.database = database
        self.audit = audit
    }

    /// The longest question and answer.
    public static let maximumQuestionLength = 500
    public static let maximumAnswerLength = SupportText.maximumLength
    /// Positions run from 0 to this.
    public static let maximumPosition = 100_000

    static let columns = """
        id, incident_id, language, question, answer, faq, position, created_by, created_at, updated_by, updated_at
        """

    // MARK: Reading

    public func find(id: Int64) async throws -> SupportAnswer? {
        try await database.read { sql in try await Self.load(sql, id: id) }
    }

    /// The incident's answers (FAQ and canned), in `language` or in all languages, by language then position.
    public func list(incidentID: Int64, language: Language? = nil) async throws -> [SupportAnswer] {
        try await database.read { sql in
            let languageClause: SQLQueryString =
                language.map { " AND language = \(bind: $0.rawValue)" } ?? ""
            return try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM support_answers WHERE incident_id = \(bind: incidentID)\(languageClause)
                ORDER BY language, position, id
                """
            ).all().map(Self.decode)
        }
    }

    /// What the customers' pages of the incident show in `language`: its FAQ answers in order, or the shipped
    /// general entries (`SupportAnswerRepository.general`) when it has none in that language.
    public func faq(incidentID: Int64, language: Language) async throws -> [SupportFAQEntry] {
        let own = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM support_answers
                WHERE incident_id = \(bind: incidentID) AND language = \(bind: language.rawValue) AND faq = \(bind: true)
                ORDER BY position, id
                """
            ).all().map(Self.decode)
        }
        guard !own.isEmpty else { return Self.general(language) }
        return own.map { SupportFAQEntry(question: $0.question, answer: $0.answer, answerID: $0.id) }
    }

    static func load(_ sql: any SQLDatabase, id: Int64, forUpdate: Bool = false) async throws -> SupportAnswer? {
        let lock = forUpdate && sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: columns) FROM support_answers WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> SupportAnswer {
        SupportAnswer(
            id: try row.decode(column: "id", as: Int64.self),
            incidentID: try row.decode(column: "incident_id", as: Int64.self),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            question: try row.decode(column: "question", as: String.self),
            answer: try row.decode(column: "answer", as: String.self),
            faq: try row.decode(column: "faq", as: Bool.self),
            position: try row.decode(column: "position", as: Int.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedBy: try row.decode(column: "updated_by", as: String.self),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self))
        )
    }
}
