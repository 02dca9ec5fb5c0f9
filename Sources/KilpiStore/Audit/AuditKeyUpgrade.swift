import Foundation
import KilpiCore
import SQLKit

/// Gives a key ring from before the audit key one, at a marked point of the log.
///
/// The new key records the id of the last entry chained with plain SHA-256 (`sha256Until`); the first append
/// under it writes `audit.chain_keyed`, whose MAC covers that entry's hash. The work happens under the audit
/// log's append lock, so nothing is appended between reading the last id and saving the key, and a second
/// process doing the same waits and then finds the key already saved.
public enum AuditKeyUpgrade {
    /// The ring to open the store with.
    ///
    /// A ring with an audit key is checked against the log (`SQLAuditLog.checkKey`) and returned. For a ring
    /// without one, under the lock: `reload` reads the key source again (another process may have added the
    /// key meanwhile; that ring is then used); otherwise a fresh key whose `sha256Until` is the log's last id is
    /// added and `save` stores the ring (it throws when it cannot, e.g. for `KILPI_MASTER_KEY`). Refuses when
    /// the log already holds keyed entries but the source has no key: the key file is then an old copy, and a
    /// new key could not verify them.
    public static func prepare(
        _ ring: KeyRing,
        database: Database,
        reload: @escaping @Sendable () throws -> KeyRing,
        save: @escaping @Sendable (KeyRing) throws -> Void
    ) async throws -> KeyRing {
        if let key = ring.audit {
            try await SQLAuditLog(database: database, key: key).checkKey()
            return ring
        }
        let upgraded = try await database.transaction { sql in
            if database.engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(7423002)").run()
            }
            let current = try reload()
            if current.audit != nil { return current }
            let last = try await sql.raw("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").first()
            let lastID = try last?.decode(column: "id", as: Int64.self) ?? 0
            if let last, try SQLAuditLog.chain(last) == .hmacSHA256 {
                throw AuditKeyError(
                    "the audit log is keyed (entry \(lastID) carries an HMAC) but the key ring has no @audit line: use the key file (or KILPI_MASTER_KEY) of the server that added it"
                )
            }
            let key = AuditKey.generate(sha256Until: lastID)
            let keyed = current.addingAuditKey(key)
            try save(keyed)
            if lastID > 0 {
                // Marks the switch at once rather than at the next event: the first keyed entry
                // (`audit.chain_keyed`) pins the last plain hash.
                try await SQLAuditLog(database: database, key: key).append(
                    AuditEvent(
                        actor: "system",
                        action: .auditKeyAdded,
                        detail: "an audit key was added to the key ring"
                    ),
                    now: Date(),
                    in: sql
                )
            }
            return keyed
        }
        if let key = upgraded.audit { try await SQLAuditLog(database: database, key: key).checkKey() }
        return upgraded
    }
}
