import SQLKit

extension Migrations {
    /// Sign-in attempts counted in the database, before the password or code is checked: per source (an IPv4
    /// address or an IPv6 /64) in fixed windows, and per account and source with its own lockout. Every
    /// `serve` process shares them, and one conditional statement takes a slot, so parallel posts cannot all
    /// read "not locked" first. `staff_users.failed_logins` and `locked_until` stay, now as the slower ceiling
    /// over all sources; their current values keep that meaning (failures since the last sign-in).
    static let v8 = Migration(
        8,
        "sign-in attempts per source and per account and source",
        statements: { _ in
            [
                """
                CREATE TABLE login_source_attempts (
                    source TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    attempts INTEGER NOT NULL,
                    PRIMARY KEY (source, window_start)
                )
                """,
                "CREATE INDEX login_source_attempts_window ON login_source_attempts(window_start)",
                """
                CREATE TABLE login_lockouts (
                    user_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
                    source TEXT NOT NULL,
                    failures INTEGER NOT NULL,
                    locked_until BIGINT,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (user_id, source)
                )
                """,
                "CREATE INDEX login_lockouts_updated ON login_lockouts(updated_at)",
            ]
        }
    )
}
