import Foundation
import KilpiCore
import SQLKit

/// Re-encrypts every sealed customer field under the key ring's current key and recomputes blind indexes,
/// in small committed batches, so it can be interrupted at any point and resumed by running it again.
public struct KeyRotation: Sendable {
    let database: Database
    let vault: Vault
    let batchSize: Int

    public init(database: Database, vault: Vault, batchSize: Int = 500) {
        self.database = database
        self.vault = vault
        self.batchSize = batchSize
    }

    /// Rows still sealed under an older key.
    public func remaining() async throws -> Int {
        try await database.withConnection { sql in
            try await sql.raw("SELECT count(*) AS n FROM customers WHERE key_id <> \(bind: vault.cipher.currentKeyID) AND erased_at IS NULL")
                .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    /// Re-encrypts up to `limit` rows (all when nil); calls `progress(done, total)` after each batch.
    /// Returns how many rows were re-encrypted.
    @discardableResult
    public func run(limit: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        let total = try await remaining()
        var done = 0
        let current = vault.cipher.currentKeyID
        while limit.map({ done < $0 }) ?? true {
            let size = min(batchSize, limit.map { $0 - done } ?? batchSize)
            let count = try await database.transaction { sql in
                let rows = try await sql.raw("""
                    SELECT id, name_sealed, email_sealed, phone_sealed, address_sealed, national_id_sealed, language, country, region
                    FROM customers WHERE key_id <> \(bind: current) AND erased_at IS NULL ORDER BY id LIMIT \(literal: size)
                    """).all()
                for row in rows {
                    try await reseal(row, in: sql)
                }
                return rows.count
            }
            if count == 0 { break }
            done += count
            progress?(done, total)
        }
        return done
    }

    private func reseal(_ row: any SQLRow, in sql: any SQLDatabase) async throws {
        let cipher = vault.cipher
        func opened(_ column: String, _ context: String) throws -> String? {
            try cipher.openOptional(try row.decode(column: column, as: String?.self), context: context)
        }
        let input = CustomerInput(
            externalID: "",
            name: try opened("name_sealed", Vault.Context.name),
            email: try opened("email_sealed", Vault.Context.email),
            phone: try opened("phone_sealed", Vault.Context.phone),
            address: try opened("address_sealed", Vault.Context.address),
            nationalID: try opened("national_id_sealed", Vault.Context.nationalID),
            language: try row.decode(column: "language", as: String.self),
            country: try row.decode(column: "country", as: String.self),
            region: try row.decode(column: "region", as: String.self)
        )
        // The content MAC and the email index are keyed too: recompute them under the new key.
        let mac = CustomerRepository(database: database, vault: vault).contentMAC(input)
        try await sql.raw("""
            UPDATE customers SET name_sealed = \(bind: try cipher.sealOptional(input.name, context: Vault.Context.name)),
                email_sealed = \(bind: try cipher.sealOptional(input.email, context: Vault.Context.email)),
                email_index = \(bind: input.email.map { vault.index.emailIndex($0) }),
                phone_sealed = \(bind: try cipher.sealOptional(input.phone, context: Vault.Context.phone)),
                address_sealed = \(bind: try cipher.sealOptional(input.address, context: Vault.Context.address)),
                national_id_sealed = \(bind: try cipher.sealOptional(input.nationalID, context: Vault.Context.nationalID)),
                content_mac = \(bind: mac), key_id = \(bind: cipher.currentKeyID)
            WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))
            """).run()
    }
}
