import Foundation
import KilpiCore
import SQLKit

/// Marks keys retired in the database once nothing is sealed under them any more: the step `kilpi keys retire`
/// takes before it removes them from the key file.
///
/// A rotation never removes keys, because a server that started before it may still be sealing rows under the
/// old key until it picks up the new one. Retirement checks every sealed column (and the customers' key ids, which
/// also say which key made their blind index and content MAC) inside one transaction that first marks the keys
/// retired: on PostgreSQL that update waits for every transaction still sealing under the key (they hold its
/// `vault_keys` row `FOR SHARE`, see `Vault.keysForSealing`) and then counts their rows too; SQLite has one
/// writer at a time. A sealing transaction that starts after the retirement reads the key file again and seals
/// under the newest key.
public struct KeyRetirement: Sendable {
    let database: Database
    let store: Store

    public init(store: Store) {
        self.database = store.database
        self.store = store
    }

    /// Fields (and customer rows) still under `keyID`, by column; empty when the key may go.
    public func usage(of keyID: String) async throws -> [(column: String, count: Int)] {
        try await database.withConnection { sql in try await Self.usage(of: keyID, in: sql) }
    }

    static func usage(of keyID: String, in sql: any SQLDatabase) async throws -> [(column: String, count: Int)] {
        let prefixes = ["v1:\(keyID):", "v2:\(keyID):"]
        let length = prefixes[0].utf8.count
        var usage: [(column: String, count: Int)] = []
        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
        for (table, column) in Vault.sealedColumns {
            let n = try await count(
                """
                SELECT count(*) AS n FROM \(ident: table)
                WHERE substr(\(ident: column), 1, \(literal: length)) IN (\(binds: prefixes))
                """
            )
            if n > 0 { usage.append(("\(table).\(column)", n)) }
        }
        let keyed = try await count(
            "SELECT count(*) AS n FROM customers WHERE erased_at IS NULL AND key_id = \(bind: keyID)"
        )
        if keyed > 0 { usage.append(("customers.key_id", keyed)) }
        return usage
    }

    /// Marks every key of `ring` but its current one retired, in one transaction with its audit entry; refuses,
    /// changing nothing, while any row still uses one of them (the message names the counts). Returns the ids
    /// retired now (keys retired before are skipped).
    @discardableResult
    public func retireOldKeys(of ring: KeyRing, actor: String, now: Date) async throws -> [String] {
        let old = ring.keys.dropLast()
        guard !old.isEmpty else { return [] }
        let audit = store.audit
        let engine = database.engine
        return try await database.transaction { sql in
            let registered = try await KeyRegistry.read(sql, engine: engine)
            try KeyRegistry.verify(ring, against: registered)
            var retired: [String] = []
            for key in old where registered[key.id]?.retiredAt == nil {
                // First the mark (and its lock), then the count: see the type's comment.
                try await sql.raw(
                    """
                    INSERT INTO vault_keys (id, check_value, created_at, retired_at)
                    VALUES (\(bind: key.id), \(bind: key.checkValue), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                    ON CONFLICT (id) DO UPDATE SET retired_at = excluded.retired_at
                    """
                ).run()
                let usage = try await Self.usage(of: key.id, in: sql)
                if !usage.isEmpty {
                    let total = usage.filter { $0.column != "customers.key_id" }.reduce(0) { $0 + $1.count }
                    let detail = usage.map { "\($0.column) \($0.count)" }.joined(separator: ", ")
                    throw VaultError.keyInUse(
                        "key \(key.id) still seals \(total) fields (\(detail)): run `kilpi keys rotate` to finish re-encrypting, then retire again"
                    )
                }
                retired.append(key.id)
            }
            if !retired.isEmpty {
                try await audit.append(
                    AuditEvent(
                        actor: actor,
                        action: .keysRetire,
                        target: "keys:\(retired.joined(separator: ","))",
                        ip: "local",
                        detail: "\(retired.count) keys retired; current key \(ring.current.id)"
                    ),
                    now: now,
                    in: sql
                )
            }
            return retired
        }
    }
}
