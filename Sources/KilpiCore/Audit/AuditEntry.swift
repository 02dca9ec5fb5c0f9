import Crypto
import Foundation

/// One line of the audit log: who did what to what, when, from where.
public struct AuditEntry: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let at: Date
    /// `user:<id>` / `token:<id>` / `system` / `cli` / `anonymous`: never a name or an email, so the log holds no personal data.
    public let actor: String
    /// Dotted verb, e.g. `user.create`, `session.login`, `customer.view`.
    public let action: String
    public let target: String
    public let ip: String
    /// Short free text without personal data or secrets.
    public let detail: String
    public let previousHash: String
    public let hash: String
    /// How `hash` was computed: plain SHA-256 for entries from before the audit key, HMAC-SHA256 after.
    public let chain: AuditChain.Version

    public init(
        id: Int64,
        at: Date,
        actor: String,
        action: String,
        target: String,
        ip: String,
        detail: String,
        previousHash: String,
        hash: String,
        chain: AuditChain.Version = .hmacSHA256
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.ip = ip
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
        self.chain = chain
    }
}

/// What the caller wants recorded; the store adds id, time and hashes.
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var target: String
    public var ip: String
    public var detail: String

    public init(actor: String, action: AuditAction, target: String = "", ip: String = "", detail: String = "") {
        self.actor = actor
        self.action = action.rawValue
        self.target = target
        self.ip = ip
        self.detail = detail
    }
}
