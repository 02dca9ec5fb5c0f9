import Foundation
import KilpiCore
import SQLKit

/// A filter for browsing the audit log.
public struct AuditFilter: Sendable, Equatable {
    public var actor: String?
    public var actionPrefix: String?
    public var target: String?
    public var from: Date?
    public var until: Date?
    /// Entries with an id below this one (for paging backwards from the newest).
    public var beforeID: Int64?
    public var limit: Int

    public init(
        actor: String? = nil,
        actionPrefix: String? = nil,
        target: String? = nil,
        from: Date? = nil,
        until: Date? = nil,
        beforeID: Int64? = nil,
        limit: Int = 100
    ) {
        self.actor = actor
        self.actionPrefix = actionPrefix
        self.target = target
        self.from = from
        self.until = until
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// Outcome of walking the whole chain.
public struct AuditVerification: Sendable, Equatable {
    public let checked: Int
    /// Hash of the last good entry: keep it elsewhere to detect a truncated log later.
    public let headHash: String
    public let problem: AuditChain.Break?
    public var isIntact: Bool { problem == nil }
}

/// The append-only, hash-chained audit log.
public protocol AuditLog: Sendable {
    @discardableResult func append(_ event: AuditEvent, now: Date) async throws -> AuditEntry
    /// Appends inside a caller's transaction, so the action and its audit entry commit together.
    @discardableResult func append(_ event: AuditEvent, now: Date, in sql: any SQLDatabase) async throws -> AuditEntry
    /// Newest first.
    func entries(_ filter: AuditFilter) async throws -> [AuditEntry]
    func verify() async throws -> AuditVerification
}

public struct SQLAuditLog: AuditLog {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = "id, at, actor, action, target, ip, detail, prev_hash, hash"

    public func append(_ event: AuditEvent, now: Date) async throws -> AuditEntry {
        try await database.transaction { sql in try await append(event, now: now, in: sql) }
    }

    public func append(_ event: AuditEvent, now: Date, in sql: any SQLDatabase) async throws -> AuditEntry {
        if database.engine == .postgres {
            // Serialises appenders across processes; SQLite's single writer already does this.
            try await sql.raw("SELECT pg_advisory_xact_lock(7423002)").run()
        }
        let last = try await sql.raw("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").first()
        // Ids are assigned here, not by a sequence: PostgreSQL sequences skip numbers on rollback, and the
        // verifier treats a skipped number as a deleted entry.
        let id = (try last?.decode(column: "id", as: Int64.self) ?? 0) + 1
        let previous = try last?.decode(column: "hash", as: String.self) ?? AuditChain.genesis
        let at = now.epochMilliseconds
        let event = Self.sanitised(event)
        let hash = AuditChain.hash(
            id: id,
            atMilliseconds: at,
            actor: event.actor,
            action: event.action,
            target: event.target,
            ip: event.ip,
            detail: event.detail,
            previousHash: previous
        )
        try await sql.raw(
            """
            INSERT INTO audit_log (id, at, actor, action, target, ip, detail, prev_hash, hash)
            VALUES (\(bind: id), \(bind: at), \(bind: event.actor), \(bind: event.action), \(bind: event.target),
                    \(bind: event.ip), \(bind: event.detail), \(bind: previous), \(bind: hash))
            """
        ).run()
        return AuditEntry(
            id: id,
            at: Date(epochMilliseconds: at),
            actor: event.actor,
            action: event.action,
            target: event.target,
            ip: event.ip,
            detail: event.detail,
            previousHash: previous,
            hash: hash
        )
    }

    public func entries(_ filter: AuditFilter) async throws -> [AuditEntry] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE 1 = 1"
        if let actor = filter.actor, !actor.isEmpty { query += " AND actor = \(bind: actor)" }
        if let prefix = filter.actionPrefix, !prefix.isEmpty {
            // Not LIKE: SQLite's LIKE ignores case and PostgreSQL's does not, so the engines would disagree.
            let dotted = prefix + "."
            query +=
                " AND (action = \(bind: prefix) OR substr(action, 1, \(literal: dotted.unicodeScalars.count)) = \(bind: dotted))"
        }
        if let target = filter.target, !target.isEmpty { query += " AND target = \(bind: target)" }
        if let from = filter.from { query += " AND at >= \(bind: from.epochMilliseconds)" }
        if let until = filter.until { query += " AND at < \(bind: until.epochMilliseconds)" }
        if let before = filter.beforeID { query += " AND id < \(bind: before)" }
        query += " ORDER BY id DESC LIMIT \(literal: max(1, min(filter.limit, 1000)))"
        let final = query
        return try await database.withConnection { sql in
            try await sql.raw(final).all().map(Self.decode)
        }
    }

    public func verify() async throws -> AuditVerification {
        var verifier = AuditChain.Verifier()
        var afterID: Int64 = Int64.min
        let pageSize = 2000
        while true {
            let start = afterID
            let page = try await database.withConnection { sql in
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE id > \(bind: start) ORDER BY id LIMIT \(literal: pageSize)
                    """
                ).all().map(Self.decode)
            }
            for entry in page {
                if let problem = verifier.check(entry) {
                    return AuditVerification(checked: verifier.count, headHash: verifier.lastHash, problem: problem)
                }
            }
            guard page.count == pageSize, let last = page.last else { break }
            afterID = last.id
        }
        return AuditVerification(checked: verifier.count, headHash: verifier.lastHash, problem: nil)
    }

    /// Control characters would let a crafted value forge extra lines in exported logs. The Unicode line and
    /// paragraph separators (U+2028, U+2029) are not control characters but end lines just the same.
    static let unsafeCharacters = CharacterSet.controlCharacters.union(.newlines)

    static func sanitised(_ event: AuditEvent) -> AuditEvent {
        func clean(_ text: String, limit: Int) -> String {
            String(
                String(text.unicodeScalars.map { unsafeCharacters.contains($0) ? " " : Character($0) }).prefix(limit)
            )
        }
        return AuditEvent(
            actor: clean(event.actor, limit: 200),
            action: clean(event.action, limit: 100),
            target: clean(event.target, limit: 200),
            ip: clean(event.ip, limit: 64),
            detail: clean(event.detail, limit: 1000)
        )
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            id: try row.decode(column: "id", as: Int64.self),
            at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
            actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            target: try row.decode(column: "target", as: String.self),
            ip: try row.decode(column: "ip", as: String.self),
            detail: try row.decode(column: "detail", as: String.self),
            previousHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self)
        )
    }
}
