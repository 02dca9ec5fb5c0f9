import SQLKit

extension Migrations {
    /// `notice_outbox.handed_at`: when a notice was first handed to a mail server (an attempt whose outcome was
    /// recorded), never cleared. The trust center's code check rests on it: "retry failed" sets `attempts` and
    /// `sent_at` back for a new round, and a bounce report can come after acceptance, yet the customer may hold
    /// the notice. Rows attempted before this migration get their first attempt's time: those with
    /// attempts, sent, bounced or failed ones, and queued ones with a first attempt ("retry failed" keeps it; a
    /// claim released unattempted leaves a row deferred, not queued).
    static let v23 = Migration(
        23,
        "notice outbox: when a notice was first handed to a mail server",
        statements: { _ in
            [
                "ALTER TABLE notice_outbox ADD COLUMN handed_at BIGINT",
                """
                UPDATE notice_outbox SET handed_at = COALESCE(first_attempt_at, sent_at, updated_at)
                WHERE attempts > 0 OR sent_at IS NOT NULL OR state IN ('sent', 'bounced', 'failed')
                    OR (state = 'queued' AND first_attempt_at IS NOT NULL)
                """,
            ]
        }
    )
}
