import SQLKit

extension Migrations {
    /// The trust center's security measures register: what the company does to protect data, its state, owner,
    /// due and review days, findings of assessments, evidence (console only), and the incident task that
    /// promised it. `public` is set only by a trust-center keeper; at most one measure tracks a task.
    static let v26 = Migration(
        26,
        "trust center: security measures register",
        statements: { engine in
            [
                """
                CREATE TABLE trust_measures (
                    id \(engine.identity),
                    area TEXT NOT NULL,
                    language TEXT NOT NULL,
                    title TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    status TEXT NOT NULL,
                    owner_id BIGINT REFERENCES staff_users(id),
                    due_on BIGINT,
                    last_reviewed_on BIGINT,
                    performed_on BIGINT,
                    findings_total INTEGER,
                    findings_closed INTEGER,
                    evidence TEXT NOT NULL DEFAULT '',
                    incident_id BIGINT REFERENCES incidents(id),
                    task_id BIGINT REFERENCES incident_tasks(id),
                    public SMALLINT NOT NULL DEFAULT 0,
                    updated_by TEXT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX trust_measures_task ON trust_measures(task_id) WHERE task_id IS NOT NULL",
                "CREATE INDEX trust_measures_incident ON trust_measures(incident_id) WHERE incident_id IS NOT NULL",
            ]
        }
    )
}
