import Foundation
import KilpiCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// A notice the SMTP server has accepted, as the sending worker marks it the moment the reply arrives.
public struct OutboxAcceptance: Sendable, Equatable {
    public let rowID: Int64
    /// The lease the row must still be under (the lane's worker name).
    public let worker: String
    public let messageID: String
    public let reply: String

    public init(rowID: Int64, worker: String, messageID: String, reply: String) {
        self.rowID = rowID
        self.worker = worker
        self.messageID = messageID
        self.reply = reply
    }
}

extension NoticeOutboxRepository {
    /// Marks accepted notices durably before the connection sends its next message: `sent_at` is set while the row
    /// stays `sending`, so a kill before the batch is recorded leaves a row that no worker sends again (the claim
    /// skips it and `finishAccepted` makes it `sent`). This is what bounds the duplicates after a kill to the one
    /// message per connection whose transaction was in flight.
    ///
    /// Only rows still `sending` under the given lease change. On PostgreSQL the commit does not wait for the WAL
    /// flush (`synchronous_commit = off` for this transaction alone): the mark guards against Kilpi dying, which
    /// loses nothing PostgreSQL has acknowledged; a crash of PostgreSQL itself may lose the last marks, and those
    /// notices are then sent again.
    public func markAccepted(_ marks: [OutboxAcceptance], now: Date) async throws {
        guard !marks.isEmpty else { return }
        let nowMs = now.epochMilliseconds
        try await database.bulkTransaction { connection in
            if let postgres = connection.postgres {
                try await connection.sql.raw("SET LOCAL synchronous_commit = off").run()
                var binds = PostgresBindings(capacity: 5)
                binds.append(marks.map(\.rowID))
                binds.append(marks.map(\.worker))
                binds.append(marks.map { String($0.messageID.prefix(250)) })
                binds.append(marks.map { NoticeReplyText.sanitized($0.reply) })
                binds.append(nowMs)
                let query = PostgresQuery(
                    unsafeSQL: """
                        UPDATE notice_outbox o SET sent_at = $5, handed_at = COALESCE(o.handed_at, $5),
                            message_id = b.message_id, last_reply = b.reply
                        FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[]) AS b(id, worker, message_id, reply)
                        WHERE o.id = b.id AND o.state = 'sending' AND o.lease_owner = b.worker
                        """,
                    binds: binds
                )
                _ = try await postgres.query(query, logger: PostgresBulk.logger).get()
                return
            }
            guard let sqlite = connection.sqlite else {
                preconditionFailure("a SQLite transaction carries its connection")
            }
            var binds: [SQLiteData] = []
            for mark in marks {
                binds += [
                    .integer(Int(mark.rowID)), .text(mark.worker), .text(String(mark.messageID.prefix(250))),
                    .text(NoticeReplyText.sanitized(mark.reply)),
                ]
            }
            binds.append(.integer(Int(nowMs)))
            binds.append(.integer(Int(nowMs)))
            let query = """
                WITH b(id, worker, message_id, reply) AS (VALUES \(RawSQLite.placeholders(rows: marks.count, columns: 4)))
                UPDATE notice_outbox AS o SET sent_at = ?, handed_at = COALESCE(o.handed_at, ?), message_id = b.message_id,
                    last_reply = b.reply
                FROM b WHERE o.id = b.id AND o.state = 'sending' AND o.lease_owner = b.worker
                """
            _ = try await RawSQLite.query(query, binds, on: sqlite) { _ in 0 }
        }
    }

    /// Extends the lease on rows `worker` still holds, so a batch that takes long (a slow relay) is not taken over
    /// and sent a second time by another worker while it is still going out. Returns how many rows it still holds.
    @discardableResult
    public func renewLease(rowIDs: [Int64], worker: String, leaseSeconds: Double, now: Date) async throws -> Int {
        guard !rowIDs.isEmpty else { return 0 }
        let expires = now.epochMilliseconds + Int64((leaseSeconds * 1000).rounded())
        return try await database.transaction { sql in
            var held = 0
            for start in stride(from: 0, to: rowIDs.count, by: 500) {
                let ids = rowIDs[start..<min(start + 500, rowIDs.count)].map(String.init).joined(separator: ",")
                held += try await sql.raw(
                    """
                    UPDATE notice_outbox SET lease_expires_at = \(bind: expires), next_attempt_at = \(bind: expires)
                    WHERE id IN (\(unsafeRaw: ids)) AND state = 'sending' AND lease_owner = \(bind: worker)
                    RETURNING id
                    """
                ).all().count
            }
            return held
        }
    }

    /// Rows `ids` of `campaign`, due for another attempt although a worker marked them accepted (it died, or lost
    /// its lease, before recording): they become `sent` (with the time of acceptance), counted as delivered, and
    /// the campaign completes if they were its last. Runs inside the claim's transaction, on rows it picked.
    static func finishAccepted(
        _ ids: [Int64],
        campaign: Int64,
        now: Int64,
        audit: any AuditLog,
        in sql: any SQLDatabase
    ) async throws {
        let finished = try await sql.raw(
            """
            UPDATE notice_outbox SET state = 'sent', lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL,
                handed_at = COALESCE(handed_at, sent_at), updated_at = \(bind: now)
            WHERE id IN (\(unsafeRaw: ids.map(String.init).joined(separator: ","))) AND state = 'sending'
                AND sent_at IS NOT NULL
            RETURNING id
            """
        ).all().count
        guard finished > 0 else { return }
        try await sql.raw(
            "UPDATE notice_campaigns SET delivered = delivered + \(bind: finished) WHERE id = \(bind: campaign)"
        ).run()
        try await NoticeCampaignRepository.completeIfDone(
            campaign,
            now: Date(timeIntervalSince1970: Double(now) / 1000),
            audit: audit,
            in: sql
        )
    }
}
