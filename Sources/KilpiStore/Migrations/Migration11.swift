import SQLKit

extension Migrations {
    /// The vault's keys as the database knows them: a check value per key id (an HMAC of a constant under a key
    /// derived from the key, never the key itself), so a key file from another installation whose key is also
    /// called `k1` is refused, and when `kilpi keys retire` removed each key. Rows are listed by the processes
    /// that load the keys, not here: a migration has no key file.
    static let v11 = Migration(
        11,
        "vault key check values",
        statements: { _ in
            [
                """
                CREATE TABLE vault_keys (
                    id TEXT PRIMARY KEY,
                    check_value TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    retired_at BIGINT
                )
                """
            ]
        }
    )
}
