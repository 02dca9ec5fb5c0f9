import Foundation
import KilpiCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// The outbox: one row per (campaign, customer), moved through `OutboxState` by the delivery workers.
///
/// Workers `claim` rows with a lease and `record` what became of them. A row's lease is its `lease_owner` and
/// `lease_expires_at`; a worker that dies leaves its rows `sending` until the lease runs out, and then any worker
/// may claim them again (their attempt counted again). `record` changes only rows the recording worker still
/// holds, so a worker whose lease was taken over changes nothing. On PostgreSQL claims lock the rows they pick
/// `FOR UPDATE SKIP LOCKED`, so two workers (or two processes) never claim the same row; SQLite has one writer.
public struct NoticeOutboxRepository: Sendable {
    let database: Database
    let vault: Vault
    let audit: any AuditLog

    public init(database: Database, vault: Vault, audit: any AuditLog) {
        self.database = database
        self.vault = vault
        self.audit = audit
    }

    /// The vault context of a sealed reference code (bound to the row's notice key).
    static let codeContext = "notice_outbox.code"
    /// The blind-index purpose of reference codes.
    static let codePurpose = "notice-code"
    static let pendingStates = "('queued', 'sending', 'deferred')"

    // MARK: Claiming

    /// Leases up to `limit` rows of running campaigns that are due (queued; deferred whose retry time has come;
    /// sending whose lease ran out) to `worker` for `leaseSeconds`: they become `sending`, their attempts go up by
    /// one and their first attempt time is set. Oldest due first, campaign by campaign. A row whose lease ran out
    /// after the server accepted it (`markAccepted`) is not sent again: it becomes `sent` here.
    /// With `campaignID`, only that campaign's rows (`notices send CAMPAIGN` must not send any other).
    public func claim(
        worker: String,
        limit: Int,
        leaseSeconds: Double,
        now: Date,
        campaignID: Int64? = nil
    ) async throws -> [OutboxClaim] {
        guard limit > 0 else { return [] }
        let nowMs = now.epochMilliseconds
        let expires = nowMs + Int64((leaseSeconds * 1000).rounded())
        let audit = audit
        let rows = try await database.transaction { sql in
            let campaigns = try await sql.raw(
                "SELECT id FROM notice_campaigns WHERE state = \(bind: NoticeCampaignState.running.rawValue)"
                    + (campaignID.map { " AND id = \(bind: $0)" } ?? "") + " ORDER BY id"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            let postgres = sql.dialect.name == "postgresql"
            var claimed: [any SQLRow] = []
            for campaign in campaigns where claimed.count < limit {
                let wanted = limit - claimed.count
                // Due rows in order, through the pending index; on PostgreSQL locked, skipping rows another
                // claimer holds, until this transaction ends.
                let picked = try await sql.raw(
                    """
                    SELECT id, state, sent_at FROM notice_outbox WHERE campaign_id = \(bind: campaign) AND state IN \(unsafeRaw: Self.pendingStates)
                    AND next_attempt_at <= \(bind: nowMs) ORDER BY next_attempt_at, id LIMIT \(literal: wanted)\(unsafeRaw: postgres ? " FOR UPDATE SKIP LOCKED" : "")
                    """
                ).all().map {
                    (
                        id: try $0.decode(column: "id", as: Int64.self),
                        // Only a row still `sending` was accepted and not recorded; a retried row that had been
                        // sent and then bounced by a DSN starts again from `queued`.
                        accepted: try $0.decode(column: "state", as: String.self) == OutboxState.sending.rawValue
                            && $0.decode(column: "sent_at", as: Int64?.self) != nil
                    )
                }
                // Accepted by the server but never recorded (its worker died): done, not to be sent again.
                let accepted = picked.filter(\.accepted).map(\.id)
                if !accepted.isEmpty {
                    try await Self.finishAccepted(accepted, campaign: campaign, now: nowMs, audit: audit, in: sql)
                }
                let ids = picked.filter { !$0.accepted }.map { String($0.id) }
                guard !ids.isEmpty else { continue }
                claimed += try await sql.raw(
                    """
                    UPDATE notice_outbox SET state = 'sending', lease_owner = \(bind: worker), lease_expires_at = \(bind: expires),
                        next_attempt_at = \(bind: expires), attempts = attempts + 1,
                        first_attempt_at = COALESCE(first_attempt_at, \(bind: nowMs)), updated_at = \(bind: nowMs)
                    WHERE id IN (\(unsafeRaw: ids.joined(separator: ",")))
                    RETURNING id, notice_key, campaign_id, customer_id, language, template_version_id, categories, attempts, code_sealed
                    """
                ).all()
            }
            return claimed
        }
        let claims = try rows.map { row in
            let key = try row.decode(column: "notice_key", as: String.self)
            return (
                row: row, key: key,
                sealed: try row.decode(column: "code_sealed", as: String.self)
            )
        }
        let codes = try await opening { keys in
            try claims.map { try keys.cipher.open($0.sealed, context: Self.codeContext, row: $0.key) }
        }
        return try zip(claims, codes).map { claim, code in
            let row = claim.row
            return OutboxClaim(
                rowID: try row.decode(column: "id", as: Int64.self),
                noticeKey: claim.key,
                campaignID: try row.decode(column: "campaign_id", as: Int64.self),
                customerID: try row.decode(column: "customer_id", as: Int64.self),
                language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
                templateVersionID: try row.decode(column: "template_version_id", as: Int64.self),
                categories: Self.categories(try row.decode(column: "categories", as: String.self)),
                attempts: try row.decode(column: "attempts", as: Int.self),
                referenceCode: code
            )
        }
        .sorted { $0.rowID < $1.rowID }
    }

    static func categories(_ stored: String) -> [String] {
        stored.split(separator: ",").map(String.init)
    }

    /// Runs `body` with the vault's keys, reading the key source again once when a code was sealed under a key the
    /// ring lacks (a rotation elsewhere).
    func opening<T>(_ body: (Vault.Keys) throws -> T) async throws -> T {
        do {
            return try body(vault.keys)
        } catch let error as VaultError where error == .unknownKeyID {
            guard try await vault.reload(database: database) else { throw error }
            return try body(vault.keys)
        }
    }

    // MARK: Recording

    /// One result as the database stores it.
    struct Outcome: Sendable {
        let id: Int64
        let state: OutboxState
        let reply: String?
        let messageID: String?
        let nextAttemptAt: Int64?
        /// 1 when the attempt did not happen (`released`): the claim's count is taken back.
        let unattempted: Int

        init(id: Int64, result: OutboxResult, now: Int64) {
            self.id = id
            switch result {
            case .sent(let reply, let messageID):
                (state, self.reply, self.messageID, nextAttemptAt, unattempted) =
                    (.sent, NoticeReplyText.sanitized(reply), String(messageID.prefix(250)), nil, 0)
            case .deferred(let reply, let retryAt):
                (state, self.reply, messageID, nextAttemptAt, unattempted) =
                    (.deferred, NoticeReplyText.sanitized(reply), nil, max(now, retryAt.epochMilliseconds), 0)
            case .bounced(let reply):
                (state, self.reply, messageID, nextAttemptAt, unattempted) =
                    (.bounced, NoticeReplyText.sanitized(reply), nil, nil, 0)
            case .failed(let reason):
                (state, self.reply, messageID, nextAttemptAt, unattempted) =
                    (.failed, NoticeReplyText.sanitized(reason), nil, nil, 0)
            case .released:
                // `sending` may not go back to `queued`; a deferred row due now is claimed as soon as one would be.
                (state, reply, messageID, nextAttemptAt, unattempted) = (.deferred, nil, nil, now, 1)
            }
            precondition(OutboxState.sending.canMove(to: state))
        }
    }

    /// Stores what became of claimed rows, in one transaction: only rows still `sending` under `worker`'s lease
    /// change (others were taken over, or a bounce already arrived, and are left alone). Then each campaign
    /// touched pauses itself when its failures pass its error threshold, and completes when no row is left that
    /// is not final (both on its timeline and in the audit log, by `system`).
    public func record(_ results: [(rowID: Int64, result: OutboxResult)], worker: String, now: Date) async throws {
        guard !results.isEmpty else { return }
        let nowMs = now.epochMilliseconds
        // The last result per row counts, as if recorded one after another.
        var byRow: [Int64: Outcome] = [:]
        for (rowID, result) in results { byRow[rowID] = Outcome(id: rowID, result: result, now: nowMs) }
        let outcomes = byRow.values.sorted { $0.id < $1.id }
        let audit = audit
        try await database.bulkTransaction { connection in
            var changed: [(campaign: Int64, state: OutboxState)] = []
            for start in stride(from: 0, to: outcomes.count, by: 500) {
                let batch = Array(outcomes[start..<min(start + 500, outcomes.count)])
                changed += try await Self.apply(batch, worker: worker, now: nowMs, in: connection)
            }
            var tally: [Int64: (delivered: Int, failures: Int)] = [:]
            for (campaign, state) in changed {
                var counts = tally[campaign] ?? (0, 0)
                switch state {
                case .sent: counts.delivered += 1
                case .bounced, .failed: counts.failures += 1
                default: break
                }
                tally[campaign] = counts
            }
            for campaign in tally.keys.sorted() {
                let counts = tally[campaign]!
                if counts.delivered + counts.failures > 0 {
                    try await connection.sql.raw(
                        """
                        UPDATE notice_campaigns SET delivered = delivered + \(bind: counts.delivered),
                            failures = failures + \(bind: counts.failures) WHERE id = \(bind: campaign)
                        """
                    ).run()
                }
                try await NoticeCampaignRepository.checkThreshold(campaign, now: now, audit: audit, in: connection.sql)
                try await NoticeCampaignRepository.completeIfDone(campaign, now: now, audit: audit, in: connection.sql)
            }
        }
    }

    /// Applies one batch of outcomes; returns the rows that changed (campaign, new state).
    static func apply(
        _ batch: [Outcome],
        worker: String,
        now: Int64,
        in connection: BulkConnection
    ) async throws -> [(campaign: Int64, state: OutboxState)] {
        let set = """
            state = b.state, last_reply = COALESCE(b.reply, o.last_reply), message_id = COALESCE(b.message_id, o.message_id),
            next_attempt_at = b.next_at, attempts = o.attempts - b.unattempted,
            sent_at = CASE WHEN b.state = 'sent' THEN COALESCE(o.sent_at, b.now) ELSE o.sent_at END,
            handed_at = CASE WHEN b.unattempted = 0 THEN COALESCE(o.handed_at, b.now) ELSE o.handed_at END,
            lease_owner = NULL, lease_expires_at = NULL, updated_at = b.now
            """
        if let postgres = connection.postgres {
            var binds = PostgresBindings(capacity: 8)
            binds.append(batch.map(\.id))
            binds.append(batch.map(\.state.rawValue))
            binds.append(PostgresOptionalArray(batch.map(\.reply)))
            binds.append(PostgresOptionalArray(batch.map(\.messageID)))
            binds.append(PostgresOptionalArray(batch.map(\.nextAttemptAt)))
            binds.append(batch.map { Int64($0.unattempted) })
            binds.append(worker)
            binds.append(now)
            let query = PostgresQuery(
                unsafeSQL: """
                    UPDATE notice_outbox o SET \(set)
                    FROM (SELECT u.*, $8::BIGINT AS now FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::BIGINT[], $6::BIGINT[])
                        AS u(id, state, reply, message_id, next_at, unattempted)) AS b
                    WHERE o.id = b.id AND o.state = 'sending' AND o.lease_owner = $7
                    RETURNING o.campaign_id, o.state
                    """,
                binds: binds
            )
            var changed: [(campaign: Int64, state: OutboxState)] = []
            for try await (campaign, state) in try await postgres.query(query, logger: PostgresBulk.logger).decode(
                (Int64, String).self
            ) {
                changed.append((campaign, OutboxState(rawValue: state) ?? .sending))
            }
            return changed
        }
        guard let sqlite = connection.sqlite else { preconditionFailure("a SQLite transaction carries its connection") }
        var binds: [SQLiteData] = []
        binds.reserveCapacity(batch.count * 7 + 1)
        func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
        for outcome in batch {
            binds += [
                .integer(Int(outcome.id)), .text(outcome.state.rawValue), text(outcome.reply), text(outcome.messageID),
                outcome.nextAttemptAt.map { .integer(Int($0)) } ?? .null, .integer(outcome.unattempted),
                .integer(Int(now)),
            ]
        }
        binds.append(.text(worker))
        let query = """
            WITH b(id, state, reply, message_id, next_at, unattempted, now) AS (VALUES \(RawSQLite.placeholders(rows: batch.count, columns: 7)))
            UPDATE notice_outbox AS o SET \(set)
            FROM b WHERE o.id = b.id AND o.state = 'sending' AND o.lease_owner = ?
            RETURNING campaign_id, state
            """
        return try await RawSQLite.query(query, binds, on: sqlite) { row in
            (
                Int64(row.column("campaign_id")?.integer ?? 0),
                OutboxState(rawValue: row.column("state")?.string ?? "") ?? .sending
            )
        }
    }

    // MARK: Bounces

    /// A bounce (a DSN) for the notice `noticeKey`: a sent, deferred or still-sending notice becomes `bounced` with
    /// `reply`. False when no notice has that key. A notice already final otherwise (skipped, failed) is left as it
    /// is. Completes the campaign when this was its last row.
    public func markBounced(noticeKey: String, reply: String, now: Date) async throws -> Bool {
        let key = noticeKey.lowercased()
        let nowMs = now.epochMilliseconds
        let audit = audit
        return try await database.transaction { sql in
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            guard
                let row = try await sql.raw(
                    "SELECT id, campaign_id, state FROM notice_outbox WHERE notice_key = \(bind: key)\(unsafeRaw: lock)"
                ).first()
            else { return false }
            let id = try row.decode(column: "id", as: Int64.self)
            let campaign = try row.decode(column: "campaign_id", as: Int64.self)
            let state = OutboxState(rawValue: try row.decode(column: "state", as: String.self)) ?? .queued
            guard state != .bounced else { return true }
            // A bounce of a notice still marked sending (its worker has not recorded yet) counts as well.
            guard state.canMove(to: .bounced) else { return true }
            try await sql.raw(
                """
                UPDATE notice_outbox SET state = 'bounced', last_reply = \(bind: NoticeReplyText.sanitized(reply)),
                    lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = \(bind: nowMs),
                    handed_at = COALESCE(handed_at, sent_at, first_attempt_at, \(bind: nowMs))
                WHERE id = \(bind: id)
                """
            ).run()
            let delivered = state == .sent ? -1 : 0
            try await sql.raw(
                """
                UPDATE notice_campaigns SET delivered = delivered + \(bind: delivered), failures = failures + 1
                WHERE id = \(bind: campaign)
                """
            ).run()
            try await NoticeCampaignRepository.completeIfDone(campaign, now: now, audit: audit, in: sql)
            return true
        }
    }
}
