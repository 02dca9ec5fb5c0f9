import SQLKit

extension Migrations {
    /// Public posts become the trust center's: more kinds (updates, advisories, public communications, edited
    /// guides), scheduled and held publishing (`released_at` is when a post is, or will be, public; a hold lowers
    /// it once the campaign has reached its share), and corrections that keep the earlier text
    /// (`public_post_history`). Posts approved before this were for their customers' support pages only: they keep
    /// no `released_at`, so they stay off the public site until someone publishes them there.
    static let v25 = Migration(
        25,
        "trust center posts: kinds, schedules, holds, corrections",
        statements: { _ in
            [
                "ALTER TABLE public_posts ADD COLUMN severity TEXT",
                "ALTER TABLE public_posts ADD COLUMN products TEXT",
                "ALTER TABLE public_posts ADD COLUMN topic TEXT",
                "ALTER TABLE public_posts ADD COLUMN publish_at BIGINT",
                "ALTER TABLE public_posts ADD COLUMN hold_campaign_id BIGINT REFERENCES notice_campaigns(id)",
                "ALTER TABLE public_posts ADD COLUMN hold_share INTEGER",
                "ALTER TABLE public_posts ADD COLUMN hold_until BIGINT",
                "ALTER TABLE public_posts ADD COLUMN released_at BIGINT",
                "ALTER TABLE public_posts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
                "ALTER TABLE public_posts ADD COLUMN corrected_at BIGINT",
                "ALTER TABLE public_posts ADD COLUMN correction_note TEXT",
                "ALTER TABLE public_posts ADD COLUMN pending_title TEXT",
                "ALTER TABLE public_posts ADD COLUMN pending_body TEXT",
                "ALTER TABLE public_posts ADD COLUMN pending_note TEXT",
                "ALTER TABLE public_posts ADD COLUMN pending_by TEXT",
                "ALTER TABLE public_posts ADD COLUMN pending_at BIGINT",
                "CREATE INDEX public_posts_public ON public_posts(state, kind, released_at)",
                """
                CREATE TABLE public_post_history (
                    post_id BIGINT NOT NULL REFERENCES public_posts(id),
                    revision INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    published_at BIGINT NOT NULL,
                    replaced_at BIGINT NOT NULL,
                    PRIMARY KEY (post_id, revision)
                )
                """,
            ]
        }
    )
}
