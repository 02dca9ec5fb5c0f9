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
            try await sql.raw(
                "SELECT count(*) AS n FROM customers WHERE key_id <> \(bind: vault.cipher.currentKeyID) AND erased_at IS NULL"
            )
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
                let rows = try await sql.raw(
                    """
                    SELECT id, name_sealed, email_sealed, phone_sealed, address_sealed, national_id_sealed, language, country, region
                    FROM customers WHERE key_id <> \(bind: current) AND erased_at IS NULL ORDER BY id LIMIT \(literal: size)
                    """
                ).all()
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

    /// The new sealed values of one row (computed synchronously: the release compiler crashed on the
    /// throwing local function this used to be inside the async method).
    private struct Resealed {
        var name, email, emailIndex, phone, address, nationalID: String?
        var mac: String
        var id: Int64
    }

    private func resealedValues(_ row: any SQLRow) throws -> Resealed {
        let cipher = vault.cipher
        let name = try cipher.openOptional(
            try row.decode(column: "name_sealed", as: String?.self),
            context: Vault.Context.name
        )
        let email = try cipher.openOptional(
            try row.decode(column: "email_sealed", as: String?.self),
            context: Vault.Context.email
        )
        let phone = try cipher.openOptional(
            try row.decode(column: "phone_sealed", as: String?.self),
            context: Vault.Context.phone
        )
        let address = try cipher.openOptional(
            try row.decode(column: "address_sealed", as: String?.self),
            context: Vault.Context.address
        )
        let nationalID = try cipher.openOptional(
            try row.decode(column: "national_id_sealed", as: String?.self),
            context: Vault.Context.nationalID
        )
        let input = CustomerInput(
            externalID: "",
            name: name,
            email: email,
            phone: phone,
            address: address,
            nationalID: nationalID,
            language: try row.decode(column: "language", as: String.self),
            country: try row.decode(column: "country", as: String.self),
            region: try row.decode(column: "region", as: String.self)
        )
        // The content MAC and the email index are keyed too: recompute them under the new key.
        return Resealed(
            name: try cipher.sealOptional(name, context: Vault.Context.name),
            email: try cipher.sealOptional(email, context: Vault.Context.email),
            emailIndex: email.map { vault.index.emailIndex($0) },
            phone: try cipher.sealOptional(phone, context: Vault.Context.phone),
            address: try cipher.sealOptional(address, context: Vault.Context.address),
            nationalID: try cipher.sealOptional(nationalID, context: Vault.Context.nationalID),
            mac: CustomerRepository(database: database, vault: vault).contentMAC(input),
            id: try row.decode(column: "id", as: Int64.self)
        )
    }

    private func reseal(_ row: any SQLRow, in sql: any SQLDatabase) async throws {
        let new = try resealedValues(row)
        try await sql.raw(
            """
            UPDATE customers SET name_sealed = \(bind: new.name), email_sealed = \(bind: new.email),
                email_index = \(bind: new.emailIndex), phone_sealed = \(bind: new.phone),
                address_sealed = \(bind: new.address), national_id_sealed = \(bind: new.nationalID),
                content_mac = \(bind: new.mac), key_id = \(bind: vault.cipher.currentKeyID)
            WHERE id = \(bind: new.id)
            """
        ).run()
    }
}
