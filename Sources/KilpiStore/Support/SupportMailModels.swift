import Foundation
import KilpiCore

/// What a support mail carries.
public enum SupportMailKind: String, Sendable, CaseIterable {
    /// A staff reply to an inquiry.
    case reply
    /// A contact-form verification code.
    case verification
}

/// Where a support mail is. `deferred` waits for its retry time; `sent` and `failed` are final.
public enum SupportMailState: String, Sendable, CaseIterable {
    case queued, sending, deferred, sent, failed
}

/// One support mail claimed by a worker, opened: everything the composer needs, nothing more.
public struct SupportMailClaim: Sendable, Equatable {
    public let rowID: Int64
    /// The row's random key: the message's outbox id (`X-Kilpi-Notice`, the VERP bounce address).
    public let mailKey: String
    public let kind: SupportMailKind
    public let inquiryID: Int64?
    /// The reply's message id in the thread.
    public let messageID: Int64?
    public let incidentID: Int64
    public let language: Language
    public let recipient: String
    /// The customer's name when the inquiry belongs to a customer (for the To header and the greeting).
    public let recipientName: String?
    /// The customer's notice reference code, when the inquiry came through a notice (link or code).
    public let referenceCode: String?
    /// The staff reply, as written.
    public let replyText: String?
    /// The verification code and when it stops working.
    public let code: String?
    public let codeExpiresAt: Date?
    /// Attempts made, this one included.
    public let attempts: Int
}

/// What became of one claimed support mail.
public enum SupportMailResult: Sendable, Equatable {
    /// The server took it; `messageID` is the Message-ID header.
    case sent(messageID: String)
    /// Try again at `retryAt`; `error` is a class ("smtp 451 4.7.1", "connection"), never a reply's text.
    case deferred(error: String, retryAt: Date)
    /// Given up: refused permanently, or too many attempts.
    case failed(error: String)
    /// Put back unattempted (the worker is shutting down).
    case released
}

/// A support mail's delivery state, for staff beside the reply in the thread.
public struct SupportMailStatus: Sendable, Equatable {
    public let kind: SupportMailKind
    public let state: SupportMailState
    public let attempts: Int
    public let createdAt: Date
    public let sentAt: Date?
    /// When a deferred mail is tried again.
    public let nextAttemptAt: Date?
    /// The last failure's class ("smtp 550 5.1.1", "connection", "expired", "erased"); no personal data.
    public let lastError: String?
}

extension AuditAction {
    /// A support mail the relay accepted (details: kind, attempts, never the address).
    public static let supportMailSent = AuditAction(rawValue: "support.mail_sent")
    /// A support mail given up (details: kind and error class).
    public static let supportMailFailed = AuditAction(rawValue: "support.mail_failed")
}
