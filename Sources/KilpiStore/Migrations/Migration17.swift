import SQLKit

extension Migrations {
    /// Customer notices (issue 10): versioned templates with four-eyes approval, campaigns over a scope version's
    /// exposure, and the outbox with one row per (campaign, customer).
    ///
    /// `notice_outbox.code_hash` is the reference code's blind index (purpose `notice-code`), `code_sealed` the code
    /// sealed by the vault (context `notice_outbox.code`, bound to the row's `notice_key`) so a worker can print it;
    /// key rotation re-seals both. `categories` holds the customer's exposed category ids (comma-separated) as the
    /// snapshot had them when the campaign was made. `pending` is a partial index of the rows still to deliver, so
    /// claiming and the "anything left?" check stay cheap when most of a million rows are done.
    static let v17 = Migration(
        17,
        "notices: templates, campaigns, outbox",
        statements: { engine in
            let real = engine == .sqlite ? "REAL" : "DOUBLE PRECISION"
            return [
                """
                CREATE TABLE notice_templates (
                    id \(engine.identity),
                    template_key TEXT NOT NULL,
                    language TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    body_text TEXT NOT NULL,
                    body_html TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    approved_by TEXT,
                    approved_at BIGINT,
                    UNIQUE (template_key, language, version)
                )
                """,
                """
                CREATE TABLE notice_campaigns (
                    id \(engine.identity),
                    incident_id BIGINT NOT NULL REFERENCES incidents(id),
                    scope_version_id BIGINT NOT NULL REFERENCES scope_versions(id),
                    audience TEXT NOT NULL,
                    follow_up_of BIGINT REFERENCES notice_campaigns(id),
                    template_key TEXT NOT NULL,
                    templates TEXT NOT NULL,
                    state TEXT NOT NULL,
                    rate_per_second \(real) NOT NULL,
                    concurrency INTEGER NOT NULL,
                    error_threshold \(real) NOT NULL,
                    recipients BIGINT NOT NULL DEFAULT 0,
                    skipped BIGINT NOT NULL DEFAULT 0,
                    english_fallback BIGINT NOT NULL DEFAULT 0,
                    delivered BIGINT NOT NULL DEFAULT 0,
                    failures BIGINT NOT NULL DEFAULT 0,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    started_at BIGINT,
                    completed_at BIGINT,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX notice_campaigns_incident ON notice_campaigns(incident_id)",
                "CREATE INDEX notice_campaigns_state ON notice_campaigns(state)",
                """
                CREATE TABLE notice_outbox (
                    id \(engine.identity),
                    notice_key TEXT NOT NULL UNIQUE,
                    campaign_id BIGINT NOT NULL REFERENCES notice_campaigns(id),
                    customer_id BIGINT NOT NULL REFERENCES customers(id),
                    language TEXT NOT NULL,
                    english_fallback SMALLINT NOT NULL DEFAULT 0,
                    template_version_id BIGINT NOT NULL REFERENCES notice_templates(id),
                    categories TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT,
                    lease_owner TEXT,
                    lease_expires_at BIGINT,
                    last_reply TEXT,
                    message_id TEXT,
                    code_hash TEXT NOT NULL,
                    code_sealed TEXT NOT NULL,
                    skip_reason TEXT,
                    queued_at BIGINT NOT NULL,
                    first_attempt_at BIGINT,
                    sent_at BIGINT,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (campaign_id, customer_id)
                )
                """,
                """
                CREATE INDEX notice_outbox_pending ON notice_outbox(campaign_id, next_attempt_at, id)
                WHERE state IN ('queued', 'sending', 'deferred')
                """,
                "CREATE INDEX notice_outbox_state ON notice_outbox(campaign_id, state, id)",
                "CREATE INDEX notice_outbox_code ON notice_outbox(code_hash)",
                // Empty when a campaign is made; filled as notices are accepted (progress rate, time to notify).
                "CREATE INDEX notice_outbox_sent ON notice_outbox(campaign_id, sent_at) WHERE sent_at IS NOT NULL",
            ]
        }
    )
}
