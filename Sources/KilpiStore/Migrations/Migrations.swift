/// Every schema change Kilpi has ever made, in order. Append only: a released migration is never edited.
///
/// Times are stored as BIGINT milliseconds since 1970 (UTC) on both engines, so comparisons and ordering behave
/// the same everywhere.
public enum Migrations {
    public static let all: [Migration] = [
        Migration(1, "staff accounts, sessions, tokens, audit log") { engine in
            [
                """
                CREATE TABLE staff_users (
                    id \(engine.identity),
                    email TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    status TEXT NOT NULL,
                    password_hash TEXT,
                    password_changed_at BIGINT,
                    totp_secret TEXT,
                    totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
                    totp_last_step BIGINT,
                    failed_logins INTEGER NOT NULL DEFAULT 0,
                    locked_until BIGINT,
                    last_login_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE one_time_links (
                    token_hash TEXT PRIMARY KEY,
                    purpose TEXT NOT NULL,
                    user_id BIGINT REFERENCES staff_users(id) ON DELETE CASCADE,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    used_at BIGINT
                )
                """,
                """
                CREATE TABLE recovery_codes (
                    id \(engine.identity),
                    user_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
                    code_hash TEXT NOT NULL,
                    used_at BIGINT
                )
                """,
                "CREATE INDEX recovery_codes_user ON recovery_codes(user_id)",
                """
                CREATE TABLE staff_sessions (
                    id_hash TEXT PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    last_seen_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    ip TEXT NOT NULL
                )
                """,
                "CREATE INDEX staff_sessions_user ON staff_sessions(user_id)",
                """
                CREATE TABLE api_tokens (
                    id \(engine.identity),
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    prefix TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    last_used_at BIGINT,
                    revoked_at BIGINT
                )
                """,
                """
                CREATE TABLE audit_log (
                    id \(engine.identity),
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    ip TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX audit_log_action ON audit_log(action)",
                "CREATE INDEX audit_log_actor ON audit_log(actor)",
            ]
        },
        Migration(2, "data map: categories, systems, customers (sealed), holdings") { engine in
            [
                """
                CREATE TABLE data_categories (
                    id TEXT PRIMARY KEY,
                    name_en TEXT NOT NULL,
                    name_fi TEXT NOT NULL,
                    sensitivity TEXT NOT NULL,
                    advice_en TEXT NOT NULL,
                    advice_fi TEXT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE systems (
                    id \(engine.identity),
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    location TEXT NOT NULL,
                    encrypted_at_rest BOOLEAN NOT NULL,
                    key_location TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE customers (
                    id \(engine.identity),
                    external_id TEXT NOT NULL UNIQUE,
                    name_sealed TEXT,
                    email_sealed TEXT,
                    email_index TEXT,
                    phone_sealed TEXT,
                    address_sealed TEXT,
                    national_id_sealed TEXT,
                    language TEXT NOT NULL,
                    country TEXT NOT NULL,
                    region TEXT NOT NULL,
                    content_mac TEXT NOT NULL,
                    key_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    erased_at BIGINT
                )
                """,
                "CREATE INDEX customers_email_index ON customers(email_index)",
                "CREATE INDEX customers_key_id ON customers(key_id)",
                """
                CREATE TABLE holdings (
                    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                    system_id BIGINT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
                    category_id TEXT NOT NULL REFERENCES data_categories(id),
                    held_from BIGINT NOT NULL,
                    held_until BIGINT,
                    PRIMARY KEY (customer_id, system_id, category_id, held_from)
                )
                """,
                "CREATE INDEX holdings_system ON holdings(system_id, held_from)",
            ]
        },
    ]
}
