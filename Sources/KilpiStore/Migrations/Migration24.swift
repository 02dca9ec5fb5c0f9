import SQLKit

extension Migrations {
    /// The trust center's certificates register: what the company is certified for, by whom, for how long, and
    /// whether the public site shows it. Removing one keeps its row (`removed_at`) beside the audit entry, so the
    /// register can say what was held when.
    static let v24 = Migration(
        24,
        "trust center: certificates register",
        statements: { engine in
            [
                """
                CREATE TABLE trust_certificates (
                    id \(engine.identity),
                    standard TEXT NOT NULL,
                    issuer TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    valid_from BIGINT NOT NULL,
                    valid_until BIGINT NOT NULL,
                    published SMALLINT NOT NULL DEFAULT 0,
                    updated_by TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    removed_at BIGINT
                )
                """,
                "CREATE INDEX trust_certificates_until ON trust_certificates(valid_until) WHERE removed_at IS NULL",
            ]
        }
    )
}
