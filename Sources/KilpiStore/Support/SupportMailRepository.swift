import Foundation
import KilpiCore
import SQLKit

/// The support mail outbox: staff replies and contact-form codes, each a row written in the same transaction as
/// the reply or the verification, drained by the support mail worker (KilpiMail) under a lease.
///
/// A claimed row is `sending` under its worker's lease until its outcome is recorded; a worker that dies leaves it
/// there until the lease runs out, and then any worker takes it over (its attempt counted again). `record` changes
/// only rows the recording worker still holds. On PostgreSQL claims lock the rows they pick `FOR UPDATE SKIP
/// LOCKED`, so two processes never claim one row; SQLite has one writer. The recipient and a code are sealed by
/// the vault and cleared once the row is finished; the reply text is opened from the thread when claimed.
public struct SupportMailRepository: Sendable {
    let database: Database
    let vault: Vault
    let audit: any AuditLog

    public init(database: Database, vault: Vault, audit: any AuditLog) {
        self.database = database
        self.vault = vault
        self.audit = audit
    }

    /// Vault contexts, each bound to the row's `mail_key`.
    static let recipientContext = "support_mail.recipient"
    static let codeContext = "support_mail.code"
    static let dueStates = "('queued', 'deferred', 'sending')"

    // MARK: Enqueueing (inside the caller's transaction)

    /// Queues the reply `messageID` of `inquiry` for its customer: to the address the contact form verified, else
    /// to the customer's own address. With neither (an erased customer) a `failed` row says so to staff.
    @discardableResult
    static func enqueueReply(
        _ sql: any SQLDatabase,
        inquiry: Inquiry,
        messageID: Int64,
        keys: Vault.Keys,
        now: Date
    ) async throws -> Int64 {
        var recipient: String?
        if let row = try await sql.raw(
            "SELECT inquiry_key, contact_email_sealed FROM support_inquiries WHERE id = \(bind: inquiry.id)"
        ).first() {
            recipient = try keys.cipher.openOptional(
                try row.decode(column: "contact_email_sealed", as: String?.self),
                context: InquiryRepository.contactEmailContext,
                row: try row.decode(column: "inquiry_key", as: String.self)
            )
        }
        if recipient == nil, let customerID = inquiry.customerID,
            let row = try await sql.raw(
                "SELECT external_id, email_sealed FROM customers WHERE id = \(bind: customerID) AND erased_at IS NULL"
            ).first()
        {
            recipient = try keys.cipher.openOptional(
                try row.decode(column: "email_sealed", as: String?.self),
                context: Vault.Context.email,
                row: try row.decode(column: "external_id", as: String.self)
            )
        }
        if let address = recipient, address.isEmpty { recipient = nil }
        return try await insert(
            sql,
            kind: .reply,
            inquiryID: inquiry.id,
            messageID: messageID,
            verificationID: nil,
            incidentID: inquiry.incidentID,
            language: inquiry.language,
            recipient: recipient,
            code: nil,
            codeExpiresAt: nil,
            keys: keys,
            now: now
        )
    }

    /// Queues the code of verification `verificationID` for `email`.
    @discardableResult
    static func enqueueVerification(
        _ sql: any SQLDatabase,
        verificationID: Int64,
        email: String,
        code: String,
        incidentID: Int64,
        language: Language,
        expiresAt: Date,
        keys: Vault.Keys,
        now: Date
    ) async throws -> Int64 {
        try await insert(
            sql,
            kind: .verification,
            inquiryID: nil,
            messageID: nil,
            verificationID: verificationID,
            incidentID: incidentID,
            language: language,
            recipient: email,
            code: code,
            codeExpiresAt: expiresAt,
            keys: keys,
            now: now
        )
    }

    private static func insert(
        _ sql: any SQLDatabase,
        kind: SupportMailKind,
        inquiryID: Int64?,
        messageID: Int64?,
        verificationID: Int64?,
        incidentID: Int64,
        language: Language,
        recipient: String?,
        code: String?,
        codeExpiresAt: Date?,
        keys: Vault.Keys,
        now: Date
    ) async throws -> Int64 {
        let key = UUID().uuidString.lowercased()
        let nowMs = now.epochMilliseconds
        let state: SupportMailState = recipient == nil ? .failed : .queued
        return try await sql.raw(
            """
            INSERT INTO support_mail (mail_key, kind, inquiry_id, message_id, verification_id, incident_id, language,
                recipient_sealed, code_sealed, code_expires_at, state, next_attempt_at, created_at, updated_at, last_error)
            VALUES (\(bind: key), \(bind: kind.rawValue), \(bind: inquiryID), \(bind: messageID), \(bind: verificationID),
                \(bind: incidentID), \(bind: language.rawValue),
                \(bind: try keys.cipher.sealOptional(recipient, context: recipientContext, row: key)),
                \(bind: try keys.cipher.sealOptional(code, context: codeContext, row: key)),
                \(bind: codeExpiresAt?.epochMilliseconds), \(bind: state.rawValue), \(bind: nowMs), \(bind: nowMs),
                \(bind: nowMs), \(bind: recipient == nil ? "no address" : nil))
            RETURNING id
            """
        ).first().map { try $0.decode(column: "id", as: Int64.self) }!
    }

    // MARK: Claiming

    /// Leases up to `limit` due rows (queued; deferred whose retry time has come; sending whose lease ran out) to
    /// `worker` for `leaseSeconds`, oldest due first, and opens them. A row that can no longer be sent (its code
    /// expired, its reply or address erased) is recorded `failed` here and not returned.
    public func claim(worker: String, limit: Int, leaseSeconds: Double, now: Date) async throws -> [SupportMailClaim] {
        guard limit > 0 else { return [] }
        let nowMs = now.epochMilliseconds
        let expires = nowMs + Int64((leaseSeconds * 1000).rounded())
        let (rows, messages, inquiries) = try await database.transaction { sql in
            let postgres = sql.dialect.name == "postgresql"
            let ids = try await sql.raw(
                """
                SELECT id FROM support_mail WHERE state IN \(unsafeRaw: Self.dueStates) AND next_attempt_at <= \(bind: nowMs)
                ORDER BY next_attempt_at, id LIMIT \(literal: limit)\(unsafeRaw: postgres ? " FOR UPDATE SKIP LOCKED" : "")
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !ids.isEmpty else { return ([any SQLRow](), [any SQLRow](), [any SQLRow]()) }
            let rows = try await sql.raw(
                """
                UPDATE support_mail SET state = 'sending', lease_owner = \(bind: worker), lease_expires_at = \(bind: expires),
                    next_attempt_at = \(bind: expires), attempts = attempts + 1, updated_at = \(bind: nowMs)
                WHERE id IN (\(binds: ids))
                RETURNING id, mail_key, kind, inquiry_id, message_id, incident_id, language, recipient_sealed, code_sealed,
                    code_expires_at, attempts
                """
            ).all()
            let messageIDs = try rows.compactMap { try $0.decode(column: "message_id", as: Int64?.self) }
            let inquiryIDs = try rows.compactMap { try $0.decode(column: "inquiry_id", as: Int64?.self) }
            let messages =
                messageIDs.isEmpty
                ? []
                : try await sql.raw(
                    "SELECT id, message_key, text_sealed FROM support_messages WHERE id IN (\(binds: messageIDs))"
                ).all()
            let inquiries =
                inquiryIDs.isEmpty
                ? []
                : try await sql.raw(
                    """
                    SELECT i.id, i.channel, i.customer_id, o.notice_key, o.code_sealed, c.external_id, c.name_sealed,
                        c.erased_at
                    FROM support_inquiries i LEFT JOIN notice_outbox o ON o.id = i.outbox_id
                    LEFT JOIN customers c ON c.id = i.customer_id
                    WHERE i.id IN (\(binds: Array(Set(inquiryIDs))))
                    """
                ).all()
            return (rows, messages, inquiries)
        }
        guard !rows.isEmpty else { return [] }
        var claims: [SupportMailClaim] = []
        var unsendable: [(Int64, String)] = []
        try await opening { keys in
            claims = []
            unsendable = []
            var texts: [Int64: String] = [:]
            for row in messages {
                texts[try row.decode(column: "id", as: Int64.self)] = try keys.cipher.open(
                    try row.decode(column: "text_sealed", as: String.self),
                    context: InquiryRepository.textContext,
                    row: try row.decode(column: "message_key", as: String.self)
                )
            }
            var context: [Int64: (code: String?, name: String?, erased: Bool)] = [:]
            for row in inquiries {
                let channel = InquiryChannel(rawValue: try row.decode(column: "channel", as: String.self))
                // The contact form never says whether the address is a customer's: no name, no code there.
                let viaNotice = channel == .link || channel == .code
                var code: String?
                if viaNotice, let key = try row.decode(column: "notice_key", as: String?.self),
                    let sealed = try row.decode(column: "code_sealed", as: String?.self)
                {
                    code = try keys.cipher.open(sealed, context: NoticeOutboxRepository.codeContext, row: key)
                }
                var name: String?
                if viaNotice, let external = try row.decode(column: "external_id", as: String?.self) {
                    name = try keys.cipher.openOptional(
                        try row.decode(column: "name_sealed", as: String?.self),
                        context: Vault.Context.name,
                        row: external
                    )
                }
                let erased =
                    try row.decode(column: "customer_id", as: Int64?.self) != nil
                    && row.decode(column: "erased_at", as: Int64?.self) != nil
                context[try row.decode(column: "id", as: Int64.self)] = (code, name, erased)
            }
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                let key = try row.decode(column: "mail_key", as: String.self)
                guard let kind = SupportMailKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                    unsendable.append((id, "unknown kind"))
                    continue
                }
                guard
                    let recipient = try keys.cipher.openOptional(
                        try row.decode(column: "recipient_sealed", as: String?.self),
                        context: Self.recipientContext,
                        row: key
                    )
                else {
                    unsendable.append((id, "erased"))
                    continue
                }
                let inquiryID = try row.decode(column: "inquiry_id", as: Int64?.self)
                let messageID = try row.decode(column: "message_id", as: Int64?.self)
                let expiresAt = try row.decode(column: "code_expires_at", as: Int64?.self)
                var text: String?
                var code: String?
                var about: (code: String?, name: String?, erased: Bool)?
                switch kind {
                case .reply:
                    about = inquiryID.flatMap { context[$0] }
                    text = messageID.flatMap { texts[$0] }
                    guard text != nil, about?.erased != true else {
                        unsendable.append((id, "erased"))
                        continue
                    }
                case .verification:
                    code = try keys.cipher.openOptional(
                        try row.decode(column: "code_sealed", as: String?.self),
                        context: Self.codeContext,
                        row: key
                    )
                    guard code != nil, let expiresAt, expiresAt > nowMs else {
                        unsendable.append((id, "expired"))
                        continue
                    }
                }
                claims.append(
                    SupportMailClaim(
                        rowID: id,
                        mailKey: key,
                        kind: kind,
                        inquiryID: inquiryID,
                        messageID: messageID,
                        incidentID: try row.decode(column: "incident_id", as: Int64.self),
                        language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
                        recipient: recipient,
                        recipientName: about?.name,
                        referenceCode: about?.code,
                        replyText: text,
                        code: code,
                        codeExpiresAt: expiresAt.map(Date.init(epochMilliseconds:)),
                        attempts: try row.decode(column: "attempts", as: Int.self)
                    )
                )
            }
        }
        for (id, error) in unsendable {
            try await record(rowID: id, worker: worker, .failed(error: error), now: now)
        }
        return claims.sorted { $0.rowID < $1.rowID }
    }

    /// Keeps the lease of rows `worker` still holds for another `leaseSeconds` (a slow relay).
    public func renewLease(rowIDs: [Int64], worker: String, leaseSeconds: Double, now: Date) async throws {
        guard !rowIDs.isEmpty else { return }
        let expires = now.epochMilliseconds + Int64((leaseSeconds * 1000).rounded())
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE support_mail SET lease_expires_at = \(bind: expires), next_attempt_at = \(bind: expires)
                WHERE id IN (\(binds: rowIDs)) AND state = 'sending' AND lease_owner = \(bind: worker)
                """
            ).run()
        }
    }

    // MARK: Recording

    /// Records what became of row `rowID`, if `worker` still holds it (false when another worker took it over).
    /// Sent and failed rows lose their sealed address and code and are audited in the same transaction.
    @discardableResult
    public func record(rowID: Int64, worker: String, _ result: SupportMailResult, now: Date) async throws -> Bool {
        let nowMs = now.epochMilliseconds
        let audit = audit
        return try await database.transaction { sql in
            let update: SQLQueryString
            switch result {
            case .sent(let messageID):
                update = """
                    UPDATE support_mail SET state = 'sent', sent_at = \(bind: nowMs), smtp_message_id = \(bind: messageID),
                        recipient_sealed = NULL, code_sealed = NULL, last_error = NULL, lease_owner = NULL,
                        lease_expires_at = NULL, updated_at = \(bind: nowMs)
                    """
            case .deferred(let error, let retryAt):
                update = """
                    UPDATE support_mail SET state = 'deferred', next_attempt_at = \(bind: retryAt.epochMilliseconds),
                        last_error = \(bind: String(error.prefix(80))), lease_owner = NULL, lease_expires_at = NULL,
                        updated_at = \(bind: nowMs)
                    """
            case .failed(let error):
                update = """
                    UPDATE support_mail SET state = 'failed', recipient_sealed = NULL, code_sealed = NULL,
                        last_error = \(bind: String(error.prefix(80))), lease_owner = NULL, lease_expires_at = NULL,
                        updated_at = \(bind: nowMs)
                    """
            case .released:
                update = """
                    UPDATE support_mail SET state = CASE WHEN attempts > 1 THEN 'deferred' ELSE 'queued' END,
                        attempts = attempts - 1, next_attempt_at = \(bind: nowMs), lease_owner = NULL,
                        lease_expires_at = NULL, updated_at = \(bind: nowMs)
                    """
            }
            guard
                let row = try await sql.raw(
                    update
                        + """
                         WHERE id = \(bind: rowID) AND state = 'sending' AND lease_owner = \(bind: worker)
                        RETURNING kind, inquiry_id, message_id, attempts
                        """
                ).first()
            else { return false }
            let kind = try row.decode(column: "kind", as: String.self)
            let about =
                try row.decode(column: "inquiry_id", as: Int64?.self).map { inquiry in
                    " inquiry:\(inquiry)"
                        + ((try? row.decode(column: "message_id", as: Int64?.self))?.map { " message:\($0)" } ?? "")
                } ?? ""
            let attempts = try row.decode(column: "attempts", as: Int.self)
            switch result {
            case .sent:
                try await audit.append(
                    Caller(.system, ip: "local").event(
                        .supportMailSent,
                        target: "support_mail:\(rowID)",
                        detail: "\(kind)\(about) attempt \(attempts)"
                    ),
                    now: now,
                    in: sql
                )
            case .failed(let error):
                try await audit.append(
                    Caller(.system, ip: "local").event(
                        .supportMailFailed,
                        target: "support_mail:\(rowID)",
                        detail: "\(kind)\(about) attempt \(attempts): \(error.prefix(80))"
                    ),
                    now: now,
                    in: sql
                )
            case .deferred, .released: break
            }
            return true
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
}
