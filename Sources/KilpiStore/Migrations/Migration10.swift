import SQLKit

extension Migrations {
    /// The keyed audit chain, incremental verification and counted anonymous events.
    ///
    /// `audit_log.chain` says how an entry's hash was made: 1 = plain SHA-256 (every entry written before this
    /// migration), 2 = HMAC-SHA256 under the audit key. `audit_checkpoints` holds the last entry a verify found
    /// intact, so the console and the API walk only newer entries. `audit_anonymous_counts` counts repeats of an
    /// anonymous event per source, action, target and minute (see `SQLAuditLog`), which are not chained one by one.
    static let v10 = Migration(
        10,
        "audit log: chain version, checkpoints, anonymous counts",
        statements: { _ in
            [
                "ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1",
                """
                CREATE TABLE audit_checkpoints (
                    name TEXT PRIMARY KEY,
                    entry_id BIGINT NOT NULL,
                    hash TEXT NOT NULL,
                    verified_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE audit_anonymous_counts (
                    source TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    minute BIGINT NOT NULL,
                    count BIGINT NOT NULL,
                    first_entry_id BIGINT NOT NULL,
                    PRIMARY KEY (source, action, target, minute)
                )
                """,
                "CREATE INDEX audit_anonymous_counts_minute ON audit_anonymous_counts(minute, action)",
            ]
        }
    )
}
