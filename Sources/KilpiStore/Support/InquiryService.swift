import Foundation
import KilpiCore
import SQLKit

/// The support use cases that the customer's page, the staff inbox and the API share. Each checks its input
/// first, then writes the change, its status history and its audit entry in one transaction, so a refusal or a
/// failure leaves nothing behind. Customer text is sealed by the vault; audit details name ids, kinds and
/// states, never the text or an address.
public struct InquiryService: Sendable {
    let store: Store
    let inquiries: InquiryRepository

    public init(store: Store) {
        self.store = store
        self.inquiries = store.inquiries
    }

    // MARK: The customer's page

    /// A new inquiry from the page `access` opened, in `language` (the page's), its first message `text`.
    public func create(
        from access: SupportAccess,
        language: Language,
        text: String,
        ip: String,
        now: Date
    ) async throws -> Inquiry {
        let text = try SupportText.checked(text)
        try await takeMessageSlot(access, ip: ip, now: now)
        let (vault, engine, audit) = (store.vault, store.database.engine, store.audit)
        return try await store.database.transaction { sql in
            let keys = try await vault.keysForSealing(in: sql, engine: engine, now: now)
            let id = try await InquiryRepository.insert(
                sql,
                incidentID: access.incidentID,
                customerID: access.customerID,
                outboxID: access.outboxID,
                channel: access.channel,
                language: language,
                contactEmail: nil,
                keys: keys,
                now: now
            )
            _ = try await InquiryRepository.appendMessage(
                sql,
                inquiryID: id,
                kind: .customer,
                actor: Actor.anonymous.description,
                authorID: nil,
                text: text,
                keys: keys,
                now: now
            )
            try await audit.append(
                Caller(.anonymous, ip: ip).event(
                    .supportInquiryCreate,
                    target: "inquiry:\(id)",
                    detail: "incident:\(access.incidentID) customer:\(access.customerID) via \(access.channel.rawValue)"
                ),
                now: now,
                in: sql
            )
            return try await InquiryRepository.load(sql, id: id)!
        }
    }

    /// The customer writes again in their own inquiry: a waiting or resolved inquiry opens again.
    public func addCustomerMessage(
        inquiryID: Int64,
        from access: SupportAccess,
        text: String,
        ip: String,
        now: Date
    ) async throws -> Inquiry {
        let text = try SupportText.checked(text)
        try await takeMessageSlot(access, ip: ip, now: now)
        let (vault, engine, audit) = (store.vault, store.database.engine, store.audit)
        return try await store.database.transaction { sql in
            // Another customer's inquiry is "not found", exactly like one that does not exist.
            guard let inquiry = try await InquiryRepository.load(sql, id: inquiryID, forUpdate: true),
                inquiry.customerID == access.customerID, inquiry.incidentID == access.incidentID
            else { throw SupportError.inquiryNotFound(inquiryID) }
            let keys = try await vault.keysForSealing(in: sql, engine: engine, now: now)
            _ = try await InquiryRepository.appendMessage(
                sql,
                inquiryID: inquiryID,
                kind: .customer,
                actor: Actor.anonymous.description,
                authorID: nil,
                text: text,
                keys: keys,
                now: now
            )
            if inquiry.status == .waitingForCustomer || inquiry.status == .resolved {
                try await InquiryRepository.move(sql, inquiry, to: .open, actor: Actor.anonymous.description, now: now)
            }
            try await sql.raw(
                """
                UPDATE support_inquiries SET last_customer_message_at = \(bind: now.epochMilliseconds),
                    updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: inquiryID)
                """
            ).run()
            try await audit.append(
                Caller(.anonymous, ip: ip).event(
                    .supportCustomerMessage,
                    target: "inquiry:\(inquiryID)",
                    detail: "customer:\(access.customerID)"
                ),
                now: now,
                in: sql
            )
            return try await InquiryRepository.load(sql, id: inquiryID)!
        }
    }

    /// Counts one customer message against its notice and its source, or refuses it (`SupportError.throttled`)
    /// when either is full for the window.
    private func takeMessageSlot(_ access: SupportAccess, ip: String, now: Date) async throws {
        let limits = store.supportLinks.settings.limits
        let slots = try await SupportThrottle(database: store.database, limits: limits).take(
            [
                ("ask:\(access.outboxID)", limits.messagesPerNotice),
                ("ask" + SupportThrottle.source(ip), limits.messagesPerSource),
            ],
            now: now
        )
        guard slots != nil else { throw SupportError.throttled }
    }

    /// The customer's own inquiries on the incident `access` opened, newest first.
    public func customerInquiries(_ access: SupportAccess) async throws -> [Inquiry] {
        try await inquiries.list(customerID: access.customerID, incidentID: access.incidentID)
    }

    /// The customer's newest `limit` threads as they see them (no internal notes), newest first, in two reads.
    public func customerThreads(_ access: SupportAccess, limit: Int) async throws -> [InquiryThread] {
        let listed = try await customerInquiries(access).prefix(limit)
        let messages = try await inquiries.messages(inquiryIDs: listed.map(\.id), includeNotes: false)
        return listed.map { InquiryThread(inquiry: $0, messages: messages[$0.id] ?? []) }
    }

    /// A thread as its customer sees it: without internal notes, and "not found" for anyone else's.
    public func customerThread(inquiryID: Int64, access: SupportAccess) async throws -> InquiryThread {
        guard let inquiry = try await inquiries.find(id: inquiryID), inquiry.customerID == access.customerID,
            inquiry.incidentID == access.incidentID
        else { throw SupportError.inquiryNotFound(inquiryID) }
        return InquiryThread(
            inquiry: inquiry,
            messages: try await inquiries.messages(inquiryID: inquiryID, includeNotes: false)
        )
    }

    // MARK: Reading for staff

    /// The inbox: ids, states and times, no text (listing is not audited; opening a thread is).
    public func list(_ filter: InquiryFilter) async throws -> [Inquiry] { try await inquiries.list(filter) }

    public func count(_ filter: InquiryFilter) async throws -> Int { try await inquiries.count(filter) }

    public func history(inquiryID: Int64) async throws -> [InquiryStatusChange] {
        try await inquiries.history(inquiryID: inquiryID)
    }

    /// The whole thread, notes included, for staff: audited as a view, since customers write personal data.
    public func thread(inquiryID: Int64, by caller: Caller, now: Date) async throws -> InquiryThread {
        guard let inquiry = try await inquiries.find(id: inquiryID) else {
            throw SupportError.inquiryNotFound(inquiryID)
        }
        let messages = try await inquiries.messages(inquiryID: inquiryID, includeNotes: true)
        try await store.audit.append(
            caller.event(
                .supportInquiryView,
                target: "inquiry:\(inquiryID)",
                detail: inquiry.customerID.map { "customer:\($0)" } ?? ""
            ),
            now: now
        )
        return InquiryThread(inquiry: inquiry, messages: messages)
    }

    /// Where replies to a contact-form inquiry go (nil for one asked from a notice: its customer's address).
    public func contactEmail(inquiryID: Int64) async throws -> String? {
        try await inquiries.contactEmail(inquiryID: inquiryID)
    }
}
