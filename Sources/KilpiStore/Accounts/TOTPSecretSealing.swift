import Foundation
import KilpiCore
import SQLKit

/// The one place staff TOTP secrets meet the vault: sealed in `staff_users.totp_secret`, bound to the column
/// and to the account's id, so the database file alone never holds a usable second factor and a sealed secret
/// copied onto another account does not open there.
enum TOTPSecretSealing {
    static let context = "staff_users.totp_secret"

    static func row(_ userID: Int64) -> String { String(userID) }

    static func seal(_ secret: String?, userID: Int64, vault: Vault) throws -> String? {
        guard let secret else { return nil }
        return try vault.cipher.seal(secret, context: context, row: row(userID))
    }

    static func open(_ stored: String?, userID: Int64, vault: Vault) throws -> String? {
        guard let stored else { return nil }
        return try vault.cipher.open(stored, context: context, row: row(userID))
    }

    /// Whether `stored` is still the plaintext base32 that Kilpi wrote before secrets were sealed.
    static func isLegacyPlaintext(_ stored: String, vault: Vault) -> Bool {
        vault.cipher.keyID(of: stored) == nil
    }
}

extension Store {
    /// Seals every staff TOTP secret still stored in plaintext (written before secrets were sealed) and reseals
    /// those under a key other than the current one. A migration cannot do it (it has no vault), so `kilpi`
    /// calls this whenever it opens a store; it is idempotent and does nothing once every secret is sealed under
    /// the current key. Returns how many rows it rewrote, audited in one entry of the same transaction.
    @discardableResult
    public func sealStaffTOTPSecrets(now: Date = Date()) async throws -> Int {
        let vault = self.vault
        let audit = self.audit
        return try await database.transaction { sql in
            let rows = try await sql.raw(
                "SELECT id, totp_secret FROM staff_users WHERE totp_secret IS NOT NULL ORDER BY id"
            ).all()
            var rewritten: [Int64] = []
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                let stored = try row.decode(column: "totp_secret", as: String.self)
                let plaintext: String
                if TOTPSecretSealing.isLegacyPlaintext(stored, vault: vault) {
                    plaintext = stored
                } else if vault.cipher.needsReencryption(stored) {
                    // Under a key this ring lacks (a wrong key file): leave it for the right key or a rotation.
                    guard let opened = try? TOTPSecretSealing.open(stored, userID: id, vault: vault) else { continue }
                    plaintext = opened
                } else {
                    continue
                }
                let sealed = try TOTPSecretSealing.seal(plaintext, userID: id, vault: vault)
                try await sql.raw(
                    "UPDATE staff_users SET totp_secret = \(bind: sealed) WHERE id = \(bind: id)"
                ).run()
                rewritten.append(id)
            }
            if !rewritten.isEmpty {
                try await audit.append(
                    AuditEvent(
                        actor: "system",
                        action: .accountTotpSecretsSealed,
                        target: "staff_users",
                        detail: "\(rewritten.count) accounts"
                    ),
                    now: now,
                    in: sql
                )
            }
            return rewritten.count
        }
    }
}
