import KilpiCore
import SQLKit

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
        Migration(
            3,
            "incidents: records, roles, timeline, playbooks and tasks, response plan, scope versions and exposures"
        ) { engine in
            [
                """
                CREATE TABLE incidents (
                    id \(engine.identity),
                    title TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    kinds TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    status TEXT NOT NULL,
                    occurred_at BIGINT,
                    detected_at BIGINT,
                    aware_at BIGINT,
                    contained_at BIGINT,
                    resolved_at BIGINT,
                    declared_at BIGINT NOT NULL,
                    declared_by TEXT NOT NULL,
                    lessons TEXT NOT NULL,
                    impact TEXT,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE incident_roles (
                    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    user_id BIGINT NOT NULL REFERENCES staff_users(id),
                    PRIMARY KEY (incident_id, role)
                )
                """,
                """
                CREATE TABLE incident_timeline (
                    id \(engine.identity),
                    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
                    at BIGINT NOT NULL,
                    author TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    visibility TEXT NOT NULL,
                    text TEXT NOT NULL
                )
                """,
                "CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, id)",
                """
                CREATE TABLE incident_tasks (
                    id \(engine.identity),
                    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
                    playbook_id TEXT NOT NULL,
                    title_en TEXT NOT NULL,
                    title_fi TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    purpose TEXT,
                    checklist TEXT NOT NULL,
                    due_at BIGINT NOT NULL,
                    done_at BIGINT,
                    done_by TEXT
                )
                """,
                "CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, due_at)",
                """
                CREATE TABLE playbooks (
                    id TEXT PRIMARY KEY,
                    threat_kind TEXT NOT NULL,
                    document TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE response_plan (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    document TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE scope_versions (
                    id \(engine.identity),
                    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
                    version INTEGER NOT NULL,
                    systems TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    window_end BIGINT NOT NULL,
                    categories TEXT NOT NULL,
                    listed_customers INTEGER NOT NULL,
                    note TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    diff TEXT,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    UNIQUE (incident_id, version)
                )
                """,
                // A scope's uploaded customer list, resolved to ids, so the exposure query can join it.
                """
                CREATE TABLE scope_customers (
                    scope_id BIGINT NOT NULL REFERENCES scope_versions(id) ON DELETE CASCADE,
                    customer_id BIGINT NOT NULL,
                    PRIMARY KEY (scope_id, customer_id)
                )\(engine == .sqlite ? " WITHOUT ROWID" : "")
                """,
                // The exposure query reads only these columns: a covering index spares a table lookup per holding
                // (three times faster on SQLite) and replaces, rather than adds to, the import's index work.
                "DROP INDEX holdings_system",
                "CREATE INDEX holdings_exposure ON holdings(system_id, held_from, held_until, customer_id, category_id)",
                // The exposure snapshot: one row per affected customer and exposed category. No foreign keys:
                // rows are written only by the exposure query from existing holdings, and checking a million
                // references would double the time to compute a scope.
                """
                CREATE TABLE exposures (
                    scope_id BIGINT NOT NULL,
                    customer_id BIGINT NOT NULL,
                    category_id TEXT NOT NULL,
                    PRIMARY KEY (scope_id, customer_id, category_id)
                )\(engine == .sqlite ? " WITHOUT ROWID" : "")
                """,
            ]
        },
        Migration(4, "exposures: byte-order category ids on PostgreSQL") { engine in
            // Category ids are ASCII keys, never shown sorted to people. Under the database's default locale
            // collation every comparison in the exposure key (millions per scope) goes through strcoll; "C"
            // compares bytes and made computing a scope three times faster. SQLite compares bytes already.
            engine == .postgres ? [#"ALTER TABLE exposures ALTER COLUMN category_id TYPE TEXT COLLATE "C""#] : []
        },
        Migration(5, "holdings clustered on their primary key (SQLite)") { engine in
            // A rowid table kept every holding twice, in the table and again in its primary-key index; clustered
            // on the key, an import writes one b-tree fewer per holding (a fifth of its time) and the file is a
            // third smaller. The exposure index already holds every key column, so it grows by nothing.
            // PostgreSQL tables are heaps either way.
            guard engine == .sqlite else { return [] }
            return [
                """
                CREATE TABLE holdings_clustered (
                    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                    system_id BIGINT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
                    category_id TEXT NOT NULL REFERENCES data_categories(id),
                    held_from BIGINT NOT NULL,
                    held_until BIGINT,
                    PRIMARY KEY (customer_id, system_id, category_id, held_from)
                ) WITHOUT ROWID
                """,
                """
                INSERT INTO holdings_clustered (customer_id, system_id, category_id, held_from, held_until)
                SELECT customer_id, system_id, category_id, held_from, held_until FROM holdings ORDER BY 1, 2, 3, 4
                """,
                "DROP TABLE holdings",
                "ALTER TABLE holdings_clustered RENAME TO holdings",
                "CREATE INDEX holdings_exposure ON holdings(system_id, held_from, held_until, customer_id, category_id)",
            ]
        },
        Migration(6, "where each customer lives, in a narrow index") { _ in
            // Counting an exposure by country and state looks up half a million customers; in this index they take
            // 20 MB instead of the gigabyte of sealed rows, and the lookups (in id order) read it front to back.
            ["CREATE INDEX customers_place ON customers(id, country, region)"]
        },
        Migration(7, "exposure snapshots as compact chunks") { engine in
            // A row per (customer, category) cost PostgreSQL 2–4 s per million customers to write; the chunks of
            // `ExposureSnapshot` (4,096 customers each, their categories as bits) are about 2 MB. PostgreSQL would
            // try to compress them on every write for little gain: stored as they are.
            [
                """
                CREATE TABLE exposure_chunks (
                    scope_id BIGINT NOT NULL REFERENCES scope_versions(id) ON DELETE CASCADE,
                    first_customer BIGINT NOT NULL,
                    last_customer BIGINT NOT NULL,
                    customers INTEGER NOT NULL,
                    data \(engine == .sqlite ? "BLOB" : "BYTEA") NOT NULL,
                    PRIMARY KEY (scope_id, first_customer)
                )
                """
            ] + (engine == .postgres ? ["ALTER TABLE exposure_chunks ALTER COLUMN data SET STORAGE EXTERNAL"] : [])
        } step: { sql, _ in
            // Snapshots saved before this version are re-encoded (in the current chunk format, which every later
            // reader must still read), scope by scope, read in pages so a large one never sits in memory as rows.
            // Rows whose scope version was deleted by hand (the old table had no foreign key) are left behind.
            let scopes = try await sql.raw(
                """
                SELECT DISTINCT e.scope_id FROM exposures e JOIN scope_versions s ON s.id = e.scope_id ORDER BY e.scope_id
                """
            ).all().map { try $0.decode(column: "scope_id", as: Int64.self) }
            for scopeID in scopes {
                var builder = ExposureSnapshot.Builder()
                var after: (customer: Int64, category: String) = (-1, "")
                while true {
                    let rows = try await sql.raw(
                        """
                        SELECT customer_id, category_id FROM exposures
                        WHERE scope_id = \(bind: scopeID) AND (customer_id > \(bind: after.customer) OR (customer_id = \(bind: after.customer) AND category_id > \(bind: after.category)))
                        ORDER BY customer_id, category_id LIMIT 50000
                        """
                    ).all()
                    guard !rows.isEmpty else { break }
                    for row in rows {
                        after = (
                            try row.decode(column: "customer_id", as: Int64.self),
                            try row.decode(column: "category_id", as: String.self)
                        )
                        try builder.add(customer: after.customer, category: after.category)
                    }
                }
                try await ScopeRepository.writeSnapshot(sql, scopeID: scopeID, builder.build())
            }
            try await sql.raw("DROP TABLE exposures").run()
        },
        v8,
        v9,
        v10,
        v11,
        v12,
        v13,
        v14,
        v15,
        v16,
        v17,
        v18,
        v19,
        v20,
        v21,
        v22,
        v23,
        v24,
        v25,
        v26,
    ]
}
