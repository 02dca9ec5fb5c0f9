import Foundation
import KilpiCore
import SQLKit

/// Inquiries and their threads as stored: rows, sealed messages and status moves. The use cases
/// (`InquiryService`, `ContactFormService`) call these inside their own transactions.
public struct InquiryRepository: Sendable {
    let database: Database
    let vault: Vault

    public init(database: Database, vault: Vault) {
        self.database = database
        self.vault = vault
    }

    /// Vault contexts: each sealed text is bound to its column and its row's random key.
    static let textContext = "support_messages.text"
    static let contactEmailContext = "support_inquiries.contact_email"

    static let columns = """
        id, incident_id, customer_id, outbox_id, channel, language, status, assignee_id, created_at, updated_at,
        first_response_at, resolved_at, waiting_since, waiting_ms, last_customer_message_at
        """

    // MARK: Writing (inside a use case's transaction)

    /// Inserts a new inquiry (status `new`, its creation in the history); returns its id.
    static func insert(
        _ sql: any SQLDatabase,
        incidentID: Int64,
        customerID: Int64?,
        outboxID: Int64?,
        channel: InquiryChannel,
        language: Language,
        contactEmail: String?,
        keys: Vault.Keys,
        now: Date
    ) async throws -> Int64 {
        let key = UUID().uuidString.lowercased()
        let nowMs = now.epochMilliseconds
        let sealed = try keys.cipher.sealOptional(contactEmail, context: contactEmailContext, row: key)
        let id = try await sql.raw(
            """
            INSERT INTO support_inquiries (inquiry_key, incident_id, customer_id, outbox_id, channel, language, status,
                contact_email_sealed, created_at, updated_at, last_customer_message_at)
            VALUES (\(bind: key), \(bind: incidentID), \(bind: customerID), \(bind: outboxID), \(bind: channel.rawValue),
                \(bind: language.rawValue), \(bind: InquiryStatus.new.rawValue), \(bind: sealed), \(bind: nowMs), \(bind: nowMs), \(bind: nowMs))
            RETURNING id
            """
        ).first().map { try $0.decode(column: "id", as: Int64.self) }!
        try await recordMove(sql, inquiryID: id, from: nil, to: .new, actor: Actor.anonymous.description, now: now)
        return id
    }

    /// Appends a sealed message; returns its id.
    static func appendMessage(
        _ sql: any SQLDatabase,
        inquiryID: Int64,
        kind: InquiryMessageKind,
        actor: String,
        authorID: Int64?,
        text: String,
        keys: Vault.Keys,
        now: Date
    ) async throws -> Int64 {
        let key = UUID().uuidString.lowercased()
        let sealed = try keys.cipher.seal(text, context: textContext, row: key)
        return try await sql.raw(
            """
            INSERT INTO support_messages (message_key, inquiry_id, kind, actor, author_id, text_sealed, created_at)
            VALUES (\(bind: key), \(bind: inquiryID), \(bind: kind.rawValue), \(bind: actor), \(bind: authorID), \(bind: sealed),
                \(bind: now.epochMilliseconds))
            RETURNING id
            """
        ).first().map { try $0.decode(column: "id", as: Int64.self) }!
    }

    /// Moves `inquiry` to `status` (nothing when it is there already), keeping the times the response-time
    /// targets need: the waiting interval is closed or opened, the resolution time set or cleared. Refuses a move
    /// the state machine does not allow, naming the field `status`.
    @discardableResult
    static func move(
        _ sql: any SQLDatabase,
        _ inquiry: Inquiry,
        to status: InquiryStatus,
        actor: String,
        now: Date
    ) async throws -> Bool {
        guard inquiry.status != status else { return false }
        guard inquiry.status.canMove(to: status) else {
            let (from, to) = (inquiry.status.rawValue, status.rawValue)
            throw SupportError.invalid(
                "status",
                .l(
                    "an inquiry that is \(from) cannot become \(to)",
                    "kysymys tilassa \(from) ei voi siirtyä tilaan \(to)"
                )
            )
        }
        let nowMs = now.epochMilliseconds
        let waited = inquiry.waitingSince.map { max(0, nowMs - $0.epochMilliseconds) } ?? 0
        try await sql.raw(
            """
            UPDATE support_inquiries SET status = \(bind: status.rawValue), updated_at = \(bind: nowMs),
                waiting_ms = waiting_ms + \(bind: waited),
                waiting_since = \(bind: status == .waitingForCustomer ? nowMs : nil),
                resolved_at = \(bind: status == .resolved ? nowMs : nil)
            WHERE id = \(bind: inquiry.id)
            """
        ).run()
        try await recordMove(sql, inquiryID: inquiry.id, from: inquiry.status, to: status, actor: actor, now: now)
        return true
    }

    static func recordMove(
        _ sql: any SQLDatabase,
        inquiryID: Int64,
        from: InquiryStatus?,
        to: InquiryStatus,
        actor: String,
        now: Date
    ) async throws {
        try await sql.raw(
            """
            INSERT INTO support_status_changes (inquiry_id, from_status, to_status, actor, at)
            VALUES (\(bind: inquiryID), \(bind: from?.rawValue), \(bind: to.rawValue), \(bind: actor), \(bind: now.epochMilliseconds))
            """
        ).run()
    }

    /// The inquiry, its row locked on PostgreSQL when `forUpdate` (SQLite has one writer).
    static func load(_ sql: any SQLDatabase, id: Int64, forUpdate: Bool = false) async throws -> Inquiry? {
        let lock = forUpdate && sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: columns) FROM support_inquiries WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decode)
    }

    // MARK: Reading

    public func find(id: Int64) async throws -> Inquiry? {
        try await database.read { sql in try await Self.load(sql, id: id) }
    }

    /// The inbox: inquiries matching `filter`, newest first.
    public func list(_ filter: InquiryFilter) async throws -> [Inquiry] {
        try await database.read { sql in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM support_inquiries WHERE 1 = 1"
            if let incident = filter.incidentID { query = query + " AND incident_id = \(bind: incident)" }
            if let statuses = filter.statuses {
                guard !statuses.isEmpty else { return [] }
                query = query + " AND status IN (\(binds: statuses.map(\.rawValue)))"
            }
            if let assignee = filter.assigneeID { query = query + " AND assignee_id = \(bind: assignee)" }
            if filter.unassigned { query = query + " AND assignee_id IS NULL" }
            if let before = filter.beforeID { query = query + " AND id < \(bind: before)" }
            query = query + " ORDER BY id DESC LIMIT \(literal: max(0, min(filter.limit, 1000)))"
            return try await sql.raw(query).all().map(Self.decode)
        }
    }

    /// How many inquiries match `filter` (paging aside), for the inbox's counts.
    public func count(_ filter: InquiryFilter) async throws -> Int {
        try await database.read { sql in
            var query: SQLQueryString = "SELECT count(*) AS n FROM support_inquiries WHERE 1 = 1"
            if let incident = filter.incidentID { query = query + " AND incident_id = \(bind: incident)" }
            if let statuses = filter.statuses {
                guard !statuses.isEmpty else { return 0 }
                query = query + " AND status IN (\(binds: statuses.map(\.rawValue)))"
            }
            if let assignee = filter.assigneeID { query = query + " AND assignee_id = \(bind: assignee)" }
            if filter.unassigned { query = query + " AND assignee_id IS NULL" }
            return try await sql.raw(query).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    /// The inquiries a customer asked from their page (or matched through the contact form), newest first.
    public func list(customerID: Int64, incidentID: Int64) async throws -> [Inquiry] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM support_inquiries
                WHERE customer_id = \(bind: customerID) AND incident_id = \(bind: incidentID) ORDER BY id DESC LIMIT 100
                """
            ).all().map(Self.decode)
        }
    }

    /// Every status move of an inquiry, oldest first.
    public func history(inquiryID: Int64) async throws -> [InquiryStatusChange] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT from_status, to_status, actor, at FROM support_status_changes
                WHERE inquiry_id = \(bind: inquiryID) ORDER BY id
                """
            ).all().map { row in
                InquiryStatusChange(
                    from: try row.decode(column: "from_status", as: String?.self).flatMap(
                        InquiryStatus.init(rawValue:)
                    ),
                    to: InquiryStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .open,
                    actor: try row.decode(column: "actor", as: String.self),
                    at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self))
                )
            }
        }
    }

    /// The thread's messages opened, oldest first; without internal notes when `includeNotes` is false.
    func messages(inquiryID: Int64, includeNotes: Bool) async throws -> [InquiryMessage] {
        try await messages(inquiryIDs: [inquiryID], includeNotes: includeNotes)[inquiryID] ?? []
    }

    /// The messages of several threads in one read, by inquiry, each oldest first (a customer's page shows them
    /// all: one read, not one per thread).
    func messages(inquiryIDs: [Int64], includeNotes: Bool) async throws -> [Int64: [InquiryMessage]] {
        guard !inquiryIDs.isEmpty else { return [:] }
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT id, inquiry_id, message_key, kind, actor, author_id, text_sealed, created_at FROM support_messages
                WHERE inquiry_id IN (\(binds: inquiryIDs))\(unsafeRaw: includeNotes ? "" : " AND kind <> 'note'")
                ORDER BY id
                """
            ).all()
        }
        let messages = try await opening { keys in
            try rows.map { row in
                let message = InquiryMessage(
                    id: try row.decode(column: "id", as: Int64.self),
                    kind: InquiryMessageKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .note,
                    actor: try row.decode(column: "actor", as: String.self),
                    authorID: try row.decode(column: "author_id", as: Int64?.self),
                    text: try keys.cipher.open(
                        try row.decode(column: "text_sealed", as: String.self),
                        context: Self.textContext,
                        row: try row.decode(column: "message_key", as: String.self)
                    ),
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self))
                )
                return (inquiryID: try row.decode(column: "inquiry_id", as: Int64.self), message: message)
            }
        }
        return Dictionary(grouping: messages, by: \.inquiryID).mapValues { $0.map(\.message) }
    }

    /// The address a reply goes to when the inquiry came from the contact form (the mail layer's use).
    public func contactEmail(inquiryID: Int64) async throws -> String? {
        let row = try await database.read { sql in
            try await sql.raw(
                "SELECT inquiry_key, contact_email_sealed FROM support_inquiries WHERE id = \(bind: inquiryID)"
            ).first()
        }
        guard let row else { return nil }
        return try await opening { keys in
            try keys.cipher.openOptional(
                try row.decode(column: "contact_email_sealed", as: String?.self),
                context: Self.contactEmailContext,
                row: try row.decode(column: "inquiry_key", as: String.self)
            )
        }
    }

    /// Runs `body` with the vault's keys, reading the key source again once for a key the ring lacks.
    func opening<T>(_ body: (Vault.Keys) throws -> T) async throws -> T {
        do {
            return try body(vault.keys)
        } catch let error as VaultError where error == .unknownKeyID {
            guard try await vault.reload(database: database) else { throw error }
            return try body(vault.keys)
        }
    }

    static func decode(_ row: any SQLRow) throws -> Inquiry {
        func time(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        return Inquiry(
            id: try row.decode(column: "id", as: Int64.self),
            incidentID: try row.decode(column: "incident_id", as: Int64.self),
            customerID: try row.decode(column: "customer_id", as: Int64?.self),
            outboxID: try row.decode(column: "outbox_id", as: Int64?.self),
            channel: InquiryChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .link,
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            status: InquiryStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
            assigneeID: try row.decode(column: "assignee_id", as: Int64?.self),
            createdAt: try time("created_at")!,
            updatedAt: try time("updated_at")!,
            firstResponseAt: try time("first_response_at"),
            resolvedAt: try time("resolved_at"),
            waitingSince: try time("waiting_since"),
            waitingTotal: Double(try row.decode(column: "waiting_ms", as: Int64.self)) / 1000,
            lastCustomerMessageAt: try time("last_customer_message_at")!
        )
    }
}
