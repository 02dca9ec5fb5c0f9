import Foundation
import KilpiCore
import SQLKit

/// What staff do with an inquiry: reply, note, move, assign.
extension InquiryService {
    /// A reply to the customer (the mail layer emails it). The first reply sets the first-response time. The
    /// status moves to `then`; without it a new or open inquiry waits for the customer and any other stays.
    public func reply(
        inquiryID: Int64,
        text: String,
        then status: InquiryStatus? = nil,
        by caller: Caller,
        now: Date
    ) async throws -> Inquiry {
        try await write(.reply, inquiryID: inquiryID, text: text, then: status, by: caller, now: now)
    }

    /// An internal note: never shown to the customer, no response time, no status change.
    public func note(inquiryID: Int64, text: String, by caller: Caller, now: Date) async throws -> Inquiry {
        try await write(.note, inquiryID: inquiryID, text: text, then: nil, by: caller, now: now)
    }

    private func write(
        _ kind: InquiryMessageKind,
        inquiryID: Int64,
        text: String,
        then status: InquiryStatus?,
        by caller: Caller,
        now: Date
    ) async throws -> Inquiry {
        let text = try SupportText.checked(text)
        // What reaches the customer carries only plain web links, whichever door the reply came through.
        if kind == .reply { try SupportReplyLinks.check(text) }
        let (vault, engine, audit) = (store.vault, store.database.engine, store.audit)
        return try await store.database.transaction { sql in
            guard let inquiry = try await InquiryRepository.load(sql, id: inquiryID, forUpdate: true) else {
                throw SupportError.inquiryNotFound(inquiryID)
            }
            let actor = caller.actor.description
            let author = try await Self.staffID(behind: actor, in: sql)
            if kind == .reply {
                let target =
                    status ?? (inquiry.status == .new || inquiry.status == .open ? .waitingForCustomer : inquiry.status)
                try await InquiryRepository.move(sql, inquiry, to: target, actor: actor, now: now)
                try await sql.raw(
                    """
                    UPDATE support_inquiries SET first_response_at = COALESCE(first_response_at, \(bind: now.epochMilliseconds)),
                        updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: inquiryID)
                    """
                ).run()
            }
            let keys = try await vault.keysForSealing(in: sql, engine: engine, now: now)
            let message = try await InquiryRepository.appendMessage(
                sql,
                inquiryID: inquiryID,
                kind: kind,
                actor: actor,
                authorID: author,
                text: text,
                keys: keys,
                now: now
            )
            if kind == .reply {
                // In the same transaction: a reply is saved with its mail or not at all.
                try await SupportMailRepository.enqueueReply(
                    sql,
                    inquiry: inquiry,
                    messageID: message,
                    keys: keys,
                    now: now
                )
            }
            let updated = try await InquiryRepository.load(sql, id: inquiryID)!
            try await audit.append(
                caller.event(
                    kind == .reply ? .supportReply : .supportNote,
                    target: "inquiry:\(inquiryID)",
                    detail: "message:\(message) status \(updated.status.rawValue)"
                ),
                now: now,
                in: sql
            )
            return updated
        }
    }

    /// Moves the inquiry to `status` as the state machine allows (the field `status` names a refusal).
    public func setStatus(
        inquiryID: Int64,
        to status: InquiryStatus,
        by caller: Caller,
        now: Date
    ) async throws
        -> Inquiry
    {
        let audit = store.audit
        return try await store.database.transaction { sql in
            guard let inquiry = try await InquiryRepository.load(sql, id: inquiryID, forUpdate: true) else {
                throw SupportError.inquiryNotFound(inquiryID)
            }
            guard try await InquiryRepository.move(sql, inquiry, to: status, actor: caller.actor.description, now: now)
            else { return inquiry }
            try await audit.append(
                caller.event(
                    .supportStatus,
                    target: "inquiry:\(inquiryID)",
                    detail: "\(inquiry.status.rawValue) -> \(status.rawValue)"
                ),
                now: now,
                in: sql
            )
            return try await InquiryRepository.load(sql, id: inquiryID)!
        }
    }

    /// Assigns the inquiry to an active staff member, or to nobody (`nil`). A new inquiry someone takes is open.
    public func assign(inquiryID: Int64, to assigneeID: Int64?, by caller: Caller, now: Date) async throws -> Inquiry {
        let audit = store.audit
        return try await store.database.transaction { sql in
            guard let inquiry = try await InquiryRepository.load(sql, id: inquiryID, forUpdate: true) else {
                throw SupportError.inquiryNotFound(inquiryID)
            }
            if let assigneeID {
                let active = try await sql.raw(
                    "SELECT id FROM staff_users WHERE id = \(bind: assigneeID) AND status = 'active'"
                ).first()
                guard active != nil else {
                    throw SupportError.invalid(
                        "assignee",
                        .l(
                            "staff member \(assigneeID) does not exist or is disabled",
                            "henkilöä \(assigneeID) ei ole tai hänen tilinsä on poistettu käytöstä"
                        )
                    )
                }
            }
            guard inquiry.assigneeID != assigneeID else { return inquiry }
            try await sql.raw(
                """
                UPDATE support_inquiries SET assignee_id = \(bind: assigneeID), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: inquiryID)
                """
            ).run()
            if assigneeID != nil, inquiry.status == .new {
                try await InquiryRepository.move(sql, inquiry, to: .open, actor: caller.actor.description, now: now)
            }
            try await audit.append(
                caller.event(
                    .supportAssign,
                    target: "inquiry:\(inquiryID)",
                    detail: assigneeID.map { "user:\($0)" } ?? "nobody"
                ),
                now: now,
                in: sql
            )
            return try await InquiryRepository.load(sql, id: inquiryID)!
        }
    }

    /// The staff member who acts: a user, or the person who made the token (nil for the system and the CLI).
    static func staffID(behind actor: String, in sql: any SQLDatabase) async throws -> Int64? {
        let person = try await NoticeService.person(behind: actor, in: sql)
        guard case .user(let id) = Actor(person) else { return nil }
        return id
    }
}

extension InquiryService {
    /// Closes the page of the notice an inquiry was asked from (its links and reference code), for a customer who
    /// says their notice reached someone else. Returns how many links were still live.
    @discardableResult
    public func closeNoticePage(inquiryID: Int64, by caller: Caller, now: Date) async throws -> Int {
        guard let inquiry = try await store.inquiries.find(id: inquiryID) else {
            throw SupportError.inquiryNotFound(inquiryID)
        }
        guard let outboxID = inquiry.outboxID else {
            throw SupportError.invalid(
                "notice",
                .l(
                    "this inquiry came from the contact form: there is no notice page to close",
                    "tämä kysymys tuli yhteydenottolomakkeelta: suljettavaa ilmoitussivua ei ole"
                )
            )
        }
        return try await store.supportLinks.revokeNotice(
            outboxID: outboxID,
            from: "inquiry:\(inquiryID)",
            by: caller,
            now: now
        )
    }
}
