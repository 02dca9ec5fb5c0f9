import SQLKit

extension Migrations {
    /// Support mail (issue 11): the outbox of staff replies and contact-form codes, drained by the support mail
    /// worker under a lease like the notice outbox.
    ///
    /// Nothing personal is stored in clear: the recipient is sealed by the vault (`recipient_sealed`, context
    /// `support_mail.recipient`, bound to `mail_key`), so is a verification code (`code_sealed`, context
    /// `support_mail.code`), and both are cleared once the row is finished (sent, failed or expired). The reply
    /// text is not copied: the worker opens the thread's own sealed message. `last_error` holds an error class
    /// ("smtp 451 4.7.1", "connection", "expired"), never a server's reply text, which may repeat the address.
    /// `message_id` and `verification_id` carry no foreign key: erasure deletes messages and the sweeper prunes
    /// verifications, and neither may be blocked by a mail row.
    static let v20 = Migration(
        20,
        "support mail: replies and contact-form codes to send",
        statements: { engine in
            [
                """
                CREATE TABLE support_mail (
                    id \(engine.identity),
                    mail_key TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    inquiry_id BIGINT REFERENCES support_inquiries(id),
                    message_id BIGINT,
                    verification_id BIGINT,
                    incident_id BIGINT NOT NULL REFERENCES incidents(id),
                    language TEXT NOT NULL,
                    recipient_sealed TEXT,
                    code_sealed TEXT,
                    code_expires_at BIGINT,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT NOT NULL,
                    lease_owner TEXT,
                    lease_expires_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    sent_at BIGINT,
                    smtp_message_id TEXT,
                    last_error TEXT
                )
                """,
                "CREATE INDEX support_mail_due ON support_mail(state, next_attempt_at, id)",
                "CREATE INDEX support_mail_inquiry ON support_mail(inquiry_id, message_id)",
            ]
        }
    )
}
