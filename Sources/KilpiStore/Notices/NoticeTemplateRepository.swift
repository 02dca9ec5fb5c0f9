import Foundation
import KilpiCore
import SQLKit

/// Versioned notice templates per (key, language). Saving and approving are `NoticeService`'s use cases (checked
/// and audited); this reads them and does the writes inside their transactions.
public struct NoticeTemplateRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, template_key, language, version, subject, body_text, body_html, created_by, created_at, approved_by,
        approved_at
        """

    public func find(id: Int64) async throws -> NoticeTemplateVersion? {
        try await database.read { sql in try await Self.load(sql, id: id) }
    }

    /// Every version of (key, language), newest first.
    public func versions(key: String, language: Language) async throws -> [NoticeTemplateVersion] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM notice_templates
                WHERE template_key = \(bind: key) AND language = \(bind: language.rawValue) ORDER BY version DESC
                """
            ).all().map(Self.decode)
        }
    }

    /// The newest version of every (key, language), approved or not.
    public func latest() async throws -> [NoticeTemplateVersion] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM notice_templates t
                WHERE version = (SELECT max(version) FROM notice_templates v
                    WHERE v.template_key = t.template_key AND v.language = t.language)
                ORDER BY template_key, language
                """
            ).all().map(Self.decode)
        }
    }

    /// The newest approved version of (key, language), if any.
    public func approved(key: String, language: Language) async throws -> NoticeTemplateVersion? {
        try await database.read { sql in try await Self.approved(sql, key: key, language: language) }
    }

    static func approved(
        _ sql: any SQLDatabase,
        key: String,
        language: Language
    ) async throws
        -> NoticeTemplateVersion?
    {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: columns) FROM notice_templates
            WHERE template_key = \(bind: key) AND language = \(bind: language.rawValue) AND approved_at IS NOT NULL
            ORDER BY version DESC LIMIT 1
            """
        ).first().map(decode)
    }

    static func load(_ sql: any SQLDatabase, id: Int64, forUpdate: Bool = false) async throws -> NoticeTemplateVersion?
    {
        let lock = forUpdate && sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: columns) FROM notice_templates WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> NoticeTemplateVersion {
        NoticeTemplateVersion(
            id: try row.decode(column: "id", as: Int64.self),
            key: try row.decode(column: "template_key", as: String.self),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            version: try row.decode(column: "version", as: Int.self),
            text: NoticeTemplateText(
                subject: try row.decode(column: "subject", as: String.self),
                text: try row.decode(column: "body_text", as: String.self),
                html: try row.decode(column: "body_html", as: String.self)
            ),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            approvedBy: try row.decode(column: "approved_by", as: String?.self),
            approvedAt: try row.decode(column: "approved_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
        )
    }
}
