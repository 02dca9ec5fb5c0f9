import Foundation
import KilpiCore
import SQLKit

extension SupportMailRepository {
    /// The delivery state of each reply of inquiry `inquiryID`, by the reply's message id (what the staff thread
    /// shows beside a reply). A reply made before support mail existed has no entry.
    public func states(inquiryID: Int64) async throws -> [Int64: SupportMailStatus] {
        try await database.read { sql in
            var states: [Int64: SupportMailStatus] = [:]
            for row in try await sql.raw(
                """
                SELECT message_id, \(unsafeRaw: Self.statusColumns) FROM support_mail
                WHERE inquiry_id = \(bind: inquiryID) AND message_id IS NOT NULL ORDER BY id
                """
            ).all() {
                states[try row.decode(column: "message_id", as: Int64.self)] = try Self.status(row)
            }
            return states
        }
    }

    /// The state of the contact-form code mail of verification `verificationID` (nil when there is none).
    public func state(verificationID: Int64) async throws -> SupportMailStatus? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.statusColumns) FROM support_mail WHERE verification_id = \(bind: verificationID)
                ORDER BY id DESC LIMIT 1
                """
            ).first().map(Self.status)
        }
    }

    /// How many support mails are in each state (for the operator's view of the queue).
    public func counts() async throws -> [SupportMailState: Int] {
        try await database.read { sql in
            var counts: [SupportMailState: Int] = [:]
            for row in try await sql.raw("SELECT state, count(*) AS n FROM support_mail GROUP BY state").all() {
                if let state = SupportMailState(rawValue: try row.decode(column: "state", as: String.self)) {
                    counts[state] = try row.decode(column: "n", as: Int.self)
                }
            }
            return counts
        }
    }

    static let statusColumns = "kind, state, attempts, created_at, sent_at, next_attempt_at, last_error"

    static func status(_ row: any SQLRow) throws -> SupportMailStatus {
        let state = SupportMailState(rawValue: try row.decode(column: "state", as: String.self)) ?? .queued
        return SupportMailStatus(
            kind: SupportMailKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .reply,
            state: state,
            attempts: try row.decode(column: "attempts", as: Int.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            sentAt: try row.decode(column: "sent_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            nextAttemptAt: state == .deferred || state == .queued
                ? Date(epochMilliseconds: try row.decode(column: "next_attempt_at", as: Int64.self)) : nil,
            lastError: try row.decode(column: "last_error", as: String?.self)
        )
    }

    /// For the sweeper: a code mail whose code expired before it went out fails (its sealed code and address
    /// cleared); finished code mails go a day later. Reply rows stay, so staff keep seeing that a reply went out.
    public func pruneChore() -> Sweeper.Chore {
        Sweeper.Chore(name: "support mail") { sql, now in
            let nowMs = now.epochMilliseconds
            let expired = try await sql.raw(
                """
                UPDATE support_mail SET state = 'failed', last_error = 'expired', recipient_sealed = NULL, code_sealed = NULL,
                    updated_at = \(bind: nowMs)
                WHERE kind = 'verification' AND state IN ('queued', 'deferred') AND code_expires_at <= \(bind: nowMs)
                RETURNING id
                """
            ).all().count
            let removed = try await sql.raw(
                """
                DELETE FROM support_mail WHERE kind = 'verification' AND state IN ('sent', 'failed')
                AND updated_at < \(bind: nowMs - 86_400_000) RETURNING id
                """
            ).all().count
            return expired + removed
        }
    }

    /// Erasure (GDPR Art. 17): the customer's support mails not yet sent are given up and lose their sealed
    /// address. Runs inside the erasure's transaction.
    static func erase(customerID: Int64, in sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE support_mail SET state = CASE WHEN state = 'sent' THEN 'sent' ELSE 'failed' END,
                last_error = CASE WHEN state = 'sent' THEN last_error ELSE 'erased' END,
                recipient_sealed = NULL, code_sealed = NULL, lease_owner = NULL, lease_expires_at = NULL
            WHERE inquiry_id IN (SELECT id FROM support_inquiries WHERE customer_id = \(bind: customerID))
            """
        ).run()
    }
}
