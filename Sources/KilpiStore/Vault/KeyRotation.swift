import Foundation
import KilpiCore
import SQLKit

/// Re-encrypts every sealed customer field under the key ring's current key and recomputes blind indexes,
/// in small committed batches, so it can be interrupted at any point and resumed by running it again.
///
/// It also re-seals every field still in the v1 format (bound to its column only) as v2, bound to its row: the
/// one-time upgrade of rows sealed before fields were bound to rows happens here, so the first `kilpi keys
/// rotate` after upgrading Kilpi binds every existing row.
public struct KeyRotation: Sendable {
    let database: Database
    let vault: Vault
    let batchSize: Int

    public init(database: Database, vault: Vault, batchSize: Int = 500) {
        self.database = database
        self.vault = vault
        self.batchSize = batchSize
    }

    /// Rows that a rotation to `current` must re-seal: under another key, or with any field in the v1 format.
    static func pendingCondition(current: String) -> SQLQueryString {
        let legacy = ["name_sealed", "email_sealed", "phone_sealed", "address_sealed", "national_id_sealed"]
            .map { "substr(\($0), 1, 3) = 'v1:'" }.joined(separator: " OR ")
        return " erased_at IS NULL AND (key_id <> \(bind: current) OR \(unsafeRaw: legacy))"
    }

    /// Rows still sealed under an older key or in the v1 format.
    public func remaining() async throws -> Int {
        let current = vault.cipher.currentKeyID
        return try await database.withConnection { sql in
            try await sql.raw("SELECT count(*) AS n FROM customers WHERE " + Self.pendingCondition(current: current))
                .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    /// Rows under a key other than the current one (the v1 format aside): zero means the current key is done.
    public func remainingUnderOlderKeys() async throws -> Int {
        let current = vault.cipher.currentKeyID
        return try await database.withConnection { sql in
            try await sql.raw(
                "SELECT count(*) AS n FROM customers WHERE erased_at IS NULL AND key_id <> \(bind: current)"
            )
            .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    /// Re-encrypts up to `limit` rows (all when nil); calls `progress(done, total)` after each batch.
    /// Returns how many rows were re-encrypted. Walks the table once by id, so each batch costs the same.
    @discardableResult
    public func run(limit: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        let total = try await remaining()
        var done = 0
        var after: Int64 = 0
        let keys = vault.keys
        let current = keys.cipher.currentKeyID
        while limit.map({ done < $0 }) ?? true {
            let size = min(batchSize, limit.map { $0 - done } ?? batchSize)
            let start = after
            let (count, last) = try await database.transaction { sql in
                let rows = try await sql.raw(
                    """
                    SELECT id, external_id, name_sealed, email_sealed, phone_sealed, address_sealed, national_id_sealed,
                        language, country, region, content_mac
                    FROM customers WHERE id > \(bind: start) AND
                    """ + Self.pendingCondition(current: current) + " ORDER BY id LIMIT \(literal: size)"
                ).all()
                var last = start
                for row in rows {
                    last = try await reseal(row, keys: keys, in: sql)
                }
                return (rows.count, last)
            }
            if count == 0 { break }
            after = last
            done += count
            progress?(done, total)
        }
        // Notice reference codes once every customer is done (a limited run leaves them to the next one).
        if limit.map({ done < $0 }) ?? true {
            _ = try await NoticeCodeRotation.run(database: database, keys: keys, batchSize: batchSize)
            _ = try await SupportRotation.run(database: database, keys: keys, batchSize: batchSize)
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

    private func resealedValues(_ row: any SQLRow, keys: Vault.Keys) throws -> Resealed {
        let cipher = keys.cipher
        let externalID = try row.decode(column: "external_id", as: String.self)
        let name = try cipher.openOptional(
            try row.decode(column: "name_sealed", as: String?.self),
            context: Vault.Context.name,
            row: externalID
        )
        let email = try cipher.openOptional(
            try row.decode(column: "email_sealed", as: String?.self),
            context: Vault.Context.email,
            row: externalID
        )
        let phone = try cipher.openOptional(
            try row.decode(column: "phone_sealed", as: String?.self),
            context: Vault.Context.phone,
            row: externalID
        )
        let address = try cipher.openOptional(
            try row.decode(column: "address_sealed", as: String?.self),
            context: Vault.Context.address,
            row: externalID
        )
        let nationalID = try cipher.openOptional(
            try row.decode(column: "national_id_sealed", as: String?.self),
            context: Vault.Context.nationalID,
            row: externalID
        )
        let input = CustomerInput(
            externalID: externalID,
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
            name: try cipher.sealOptional(name, context: Vault.Context.name, row: externalID),
            email: try cipher.sealOptional(email, context: Vault.Context.email, row: externalID),
            emailIndex: email.map { keys.index.emailIndex($0) },
            phone: try cipher.sealOptional(phone, context: Vault.Context.phone, row: externalID),
            address: try cipher.sealOptional(address, context: Vault.Context.address, row: externalID),
            nationalID: try cipher.sealOptional(nationalID, context: Vault.Context.nationalID, row: externalID),
            mac: CustomerRepository(database: database, vault: vault).contentMAC(input, keys: keys),
            id: try row.decode(column: "id", as: Int64.self)
        )
    }

    /// Re-seals one row; returns its id. A row a server changed since it was read keeps the server's values
    /// (its MAC no longer matches); the next run picks it up if it is still under an old key.
    private func reseal(_ row: any SQLRow, keys: Vault.Keys, in sql: any SQLDatabase) async throws -> Int64 {
        let new = try resealedValues(row, keys: keys)
        try await sql.raw(
            """
            UPDATE customers SET name_sealed = \(bind: new.name), email_sealed = \(bind: new.email),
                email_index = \(bind: new.emailIndex), phone_sealed = \(bind: new.phone),
                address_sealed = \(bind: new.address), national_id_sealed = \(bind: new.nationalID),
                content_mac = \(bind: new.mac), key_id = \(bind: keys.cipher.currentKeyID)
            WHERE id = \(bind: new.id) AND content_mac = \(bind: try row.decode(column: "content_mac", as: String.self))
            """
        ).run()
        return new.id
    }
}
