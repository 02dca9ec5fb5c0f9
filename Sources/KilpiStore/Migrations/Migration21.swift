import SQLKit

extension Migrations {
    /// Support answers (issue 11): per incident and language, a question and its answer that staff insert into
    /// replies as a canned answer and, when `faq` is set, customers read on their personal page. Company-written
    /// text, not personal data, so it is stored in clear.
    static let v21 = Migration(
        21,
        "support: answers (FAQ and canned answers)",
        statements: { engine in
            [
                """
                CREATE TABLE support_answers (
                    id \(engine.identity),
                    incident_id BIGINT NOT NULL REFERENCES incidents(id),
                    language TEXT NOT NULL,
                    question TEXT NOT NULL,
                    answer TEXT NOT NULL,
                    faq BOOLEAN NOT NULL,
                    position INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX support_answers_incident ON support_answers(incident_id, language, position, id)",
            ]
        }
    )
}
