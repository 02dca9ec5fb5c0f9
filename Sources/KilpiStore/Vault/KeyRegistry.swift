import Foundation
import KilpiCore
import SQLKit

/// The `vault_keys` table: one row per key id the database has been sealed with, holding the key's check value
/// (never the key), when it was first seen, and when `kilpi keys retire` removed it.
enum KeyRegistry {
    struct Entry: Sendable {
        let id: String
        let checkValue: String
        let retiredAt: Date?
    }

    /// Every listed key by id. `lock` takes PostgreSQL row locks for the rest of the transaction (see
    /// `Vault.keysForSealing`); SQLite's single writer needs none.
    static func read(_ sql: any SQLDatabase, engine: SQLEngine, lock: Bool = false) async throws -> [String: Entry] {
        let suffix = lock && engine == .postgres ? " FOR SHARE" : ""
        var entries: [String: Entry] = [:]
        for row in try await sql.raw("SELECT id, check_value, retired_at FROM vault_keys\(unsafeRaw: suffix)").all() {
            let entry = Entry(
                id: try row.decode(column: "id", as: String.self),
                checkValue: try row.decode(column: "check_value", as: String.self),
                retiredAt: try row.decode(column: "retired_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
            )
            entries[entry.id] = entry
        }
        return entries
    }

    /// Refuses a ring holding a key whose id the database knows under another check value.
    static func verify(_ ring: KeyRing, against registered: [String: Entry]) throws(VaultError) {
        for key in ring.keys {
            if let entry = registered[key.id], entry.checkValue != key.checkValue {
                throw .keyMismatch("key file holds \(key.id) but it is not the \(key.id) this database was sealed with")
            }
        }
    }

    /// Lists the ring's keys the database does not know yet. Two processes may add the same key at once: the
    /// insert then does nothing, and the stored check value is compared again.
    static func add(
        _ ring: KeyRing,
        missingFrom registered: [String: Entry],
        in sql: any SQLDatabase,
        now: Date
    ) async throws {
        for key in ring.keys where registered[key.id] == nil {
            try await sql.raw(
                """
                INSERT INTO vault_keys (id, check_value, created_at) VALUES (\(bind: key.id), \(bind: key.checkValue),
                    \(bind: now.epochMilliseconds))
                ON CONFLICT (id) DO NOTHING
                """
            ).run()
            let stored = try await sql.raw("SELECT check_value FROM vault_keys WHERE id = \(bind: key.id)").first()
                .map { try $0.decode(column: "check_value", as: String.self) }
            guard stored == key.checkValue else {
                throw VaultError.keyMismatch(
                    "key file holds \(key.id) but it is not the \(key.id) this database was sealed with"
                )
            }
        }
    }
}
