import SQLKit

extension Migrations {
    /// Customer support (issue 11): personal links, openings, failed-attempt counters, inquiries with their
    /// threads and status history, and the contact form's email verifications.
    ///
    /// Secrets are stored as hashes only: `support_links.token_hash` (SHA-256 of a 128-bit token) and
    /// `support_verifications.challenge_hash` / `code_hash`. Customer text and addresses are sealed by the vault:
    /// `support_messages.text_sealed` (context `support_messages.text`, bound to `message_key`),
    /// `support_inquiries.contact_email_sealed` and `support_verifications.email_sealed` (bound to their row keys).
    static let v19 = Migration(
        19,
        "support: links, openings, inquiries, verifications",
        statements: { engine in
            [
                """
                CREATE TABLE support_links (
                    id \(engine.identity),
                    token_hash TEXT NOT NULL UNIQUE,
                    outbox_id BIGINT NOT NULL REFERENCES notice_outbox(id),
                    campaign_id BIGINT NOT NULL REFERENCES notice_campaigns(id),
                    customer_id BIGINT NOT NULL REFERENCES customers(id),
                    incident_id BIGINT NOT NULL REFERENCES incidents(id),
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                "CREATE INDEX support_links_outbox ON support_links(outbox_id)",
                "CREATE INDEX support_links_campaign ON support_links(campaign_id)",
                """
                CREATE TABLE support_revoked_campaigns (
                    campaign_id BIGINT PRIMARY KEY REFERENCES notice_campaigns(id),
                    revoked_at BIGINT NOT NULL,
                    revoked_by TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE support_openings (
                    outbox_id BIGINT PRIMARY KEY REFERENCES notice_outbox(id),
                    campaign_id BIGINT NOT NULL REFERENCES notice_campaigns(id),
                    first_opened_at BIGINT NOT NULL,
                    last_opened_at BIGINT NOT NULL,
                    open_count BIGINT NOT NULL
                )
                """,
                "CREATE INDEX support_openings_campaign ON support_openings(campaign_id)",
                """
                CREATE TABLE support_attempts (
                    attempt_key TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    attempts INTEGER NOT NULL,
                    PRIMARY KEY (attempt_key, window_start)
                )
                """,
                """
                CREATE TABLE support_inquiries (
                    id \(engine.identity),
                    inquiry_key TEXT NOT NULL UNIQUE,
                    incident_id BIGINT NOT NULL REFERENCES incidents(id),
                    customer_id BIGINT REFERENCES customers(id),
                    outbox_id BIGINT REFERENCES notice_outbox(id),
                    channel TEXT NOT NULL,
                    language TEXT NOT NULL,
                    status TEXT NOT NULL,
                    assignee_id BIGINT REFERENCES staff_users(id),
                    contact_email_sealed TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    first_response_at BIGINT,
                    resolved_at BIGINT,
                    waiting_since BIGINT,
                    waiting_ms BIGINT NOT NULL DEFAULT 0,
                    last_customer_message_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX support_inquiries_incident ON support_inquiries(incident_id, status, id)",
                "CREATE INDEX support_inquiries_status ON support_inquiries(status, id)",
                "CREATE INDEX support_inquiries_assignee ON support_inquiries(assignee_id, status, id)",
                "CREATE INDEX support_inquiries_customer ON support_inquiries(customer_id)",
                """
                CREATE TABLE support_messages (
                    id \(engine.identity),
                    message_key TEXT NOT NULL UNIQUE,
                    inquiry_id BIGINT NOT NULL REFERENCES support_inquiries(id),
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    author_id BIGINT REFERENCES staff_users(id),
                    text_sealed TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX support_messages_inquiry ON support_messages(inquiry_id, id)",
                """
                CREATE TABLE support_status_changes (
                    id \(engine.identity),
                    inquiry_id BIGINT NOT NULL REFERENCES support_inquiries(id),
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX support_status_changes_inquiry ON support_status_changes(inquiry_id, id)",
                """
                CREATE TABLE support_verifications (
                    id \(engine.identity),
                    challenge_hash TEXT NOT NULL UNIQUE,
                    verification_key TEXT NOT NULL UNIQUE,
                    code_hash TEXT NOT NULL,
                    email_sealed TEXT NOT NULL,
                    incident_id BIGINT NOT NULL REFERENCES incidents(id),
                    language TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    used_at BIGINT
                )
                """,
                "CREATE INDEX support_verifications_expiry ON support_verifications(expires_at)",
            ]
        }
    )
}
