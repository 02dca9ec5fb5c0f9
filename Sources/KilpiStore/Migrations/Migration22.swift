import SQLKit

extension Migrations {
    /// Public posts: for now incidents' updates for their customers (shown on the support pages), written by one
    /// person and published by another. Posts hold what the company says in public, so nothing in them is sealed.
    static let v22 = Migration(
        22,
        "public posts: incident updates for customers",
        statements: { engine in
            [
                """
                CREATE TABLE public_posts (
                    id \(engine.identity),
                    kind TEXT NOT NULL,
                    incident_id BIGINT REFERENCES incidents(id),
                    language TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL,
                    written_by TEXT NOT NULL,
                    written_at BIGINT NOT NULL,
                    published_by TEXT,
                    published_at BIGINT,
                    withdrawn_by TEXT,
                    withdrawn_at BIGINT
                )
                """,
                "CREATE INDEX public_posts_incident ON public_posts(incident_id, state, language)",
            ]
        }
    )
}
