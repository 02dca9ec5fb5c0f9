import Foundation
import KilpiCore
import SQLKit

/// A customer row as imported: plaintext in, sealed on the way to the database.
public struct CustomerInput: Sendable, Equatable {
    public var externalID: String
    public var name: String?
    public var email: String?
    public var phone: String?
    public var address: String?
    public var nationalID: String?
    public var language: String
    public var country: String
    public var region: String

    public init(
        externalID: String,
        name: String?,
        email: String?,
        phone: String?,
        address: String? = nil,
        nationalID: String? = nil,
        language: String,
        country: String,
        region: String
    ) {
        self.externalID = externalID
        self.name = name
        self.email = email
        self.phone = phone
        self.address = address
        self.nationalID = nationalID
        self.language = language
        self.country = country
        self.region = region
    }
}

/// What an upsert did.
public struct UpsertCounts: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
    public static func += (lhs: inout UpsertCounts, rhs: UpsertCounts) {
        lhs.inserted += rhs.inserted
        lhs.updated += rhs.updated
        lhs.unchanged += rhs.unchanged
    }
}

/// Customers with their personal fields sealed by the vault. Only this type sees both plaintext and SQL.
public struct CustomerRepository: Sendable {
    let database: Database
    let vault: Vault

    public init(database: Database, vault: Vault) {
        self.database = database
        self.vault = vault
    }

    static let columns = """
        id, external_id, name_sealed, email_sealed, phone_sealed, address_sealed, national_id_sealed,
        language, country, region, created_at, erased_at
        """

    /// Inserts new customers and updates changed ones, by external id, inside the caller's transaction.
    /// A row whose content is unchanged is not touched at all, so re-importing a file changes nothing.
    public func upsert(_ batch: [CustomerInput], now: Date, in sql: any SQLDatabase) async throws -> UpsertCounts {
        let keys = try await vault.keysForSealing(in: sql, engine: database.engine, now: now)
        return try await write(
            try batch.map { try seal($0, keys: keys) },
            keys: keys,
            fresh: false,
            now: now,
            in: BulkConnection(sql: sql, sqlite: nil)
        )
    }

    /// Keyed MAC of every field: equal MACs mean an import row brings nothing new.
    ///
    /// The MAC is over `len:value` per field (`-` for none), joined by `|`; stored MACs depend on exactly these bytes.
    /// Built byte by byte: the string interpolation and join cost as much as the HMAC itself.
    func contentMAC(_ input: CustomerInput, keys: Vault.Keys) -> String {
        var canonical = [UInt8]()
        canonical.reserveCapacity(256)
        func append(_ field: String?, last: Bool = false) {
            if let field {
                canonical += String(field.utf8.count).utf8
                canonical.append(UInt8(ascii: ":"))
                canonical += field.utf8
            } else {
                canonical.append(UInt8(ascii: "-"))
            }
            if !last { canonical.append(UInt8(ascii: "|")) }
        }
        append(input.name)
        append(input.email)
        append(input.phone)
        append(input.address)
        append(input.nationalID)
        append(input.language)
        append(input.country)
        append(input.region, last: true)
        return keys.index.index(String(decoding: canonical, as: UTF8.self), purpose: "customer-content")
    }

    public func count(in sql: (any SQLDatabase)? = nil) async throws -> Int {
        let query: SQLQueryString = "SELECT count(*) AS n FROM customers"
        if let sql { return try await sql.raw(query).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0 }
        return try await database.withConnection {
            try await $0.raw(query).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    public func find(id: Int64) async throws -> Customer? {
        try await fetchOne("WHERE id = \(bind: id)")
    }

    public func find(externalID: String) async throws -> Customer? {
        try await fetchOne("WHERE external_id = \(bind: externalID)")
    }

    /// Exact email match through the blind index (under every key in the ring, so it works mid-rotation).
    /// A server started before a rotation first picks up the new key: rows it re-indexed match no older key.
    public func find(email: String) async throws -> [Customer] {
        let (vault, engine) = (vault, database.engine)
        let rows = try await database.withConnection { sql in
            _ = try await vault.refreshIfStale(in: sql, engine: engine)
            return try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM customers
                WHERE email_index IN (\(binds: vault.index.allEmailIndexes(email))) ORDER BY id
                """
            )
            .all()
        }
        return try await opening { keys in try rows.map { try decode($0, keys: keys) } }
    }

    /// Ids of the customers with any holding in `systemID` (bounded by `limit`), for the systems page.
    public func customerIDs(inSystem systemID: Int64, limit: Int) async throws -> [Int64] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT DISTINCT customer_id FROM holdings WHERE system_id = \(bind: systemID) ORDER BY customer_id LIMIT \(literal: limit)"
            )
            .all().map { try $0.decode(column: "customer_id", as: Int64.self) }
        }
    }

    /// Removes every personal field and the external id (GDPR Art. 17). The row and its holdings stay, anonymous,
    /// so counts of affected people by category and country remain true.
    public func erase(id: Int64, now: Date, in sql: any SQLDatabase) async throws -> Bool {
        let anonymous = "erased-" + SecureRandom.token(byteCount: 12)
        return
            !(try await sql.raw(
                """
                UPDATE customers SET external_id = \(bind: anonymous), name_sealed = NULL, email_sealed = NULL, email_index = NULL,
                    phone_sealed = NULL, address_sealed = NULL, national_id_sealed = NULL, region = '',
                    content_mac = '', updated_at = \(bind: now.epochMilliseconds), erased_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND erased_at IS NULL RETURNING id
                """
            ).all().isEmpty)
    }

    /// The customer's optional extra fields, opened (for export).
    public func sensitiveExtras(id: Int64) async throws -> (address: String?, nationalID: String?) {
        let found = try await database.withConnection { sql in
            try await sql.raw(
                "SELECT external_id, address_sealed, national_id_sealed FROM customers WHERE id = \(bind: id)"
            ).first()
        }
        guard let row = found else { return (nil, nil) }
        // Opened outside the connection: a reload of the keys reads the database itself.
        return try await opening { keys in
            let externalID = try row.decode(column: "external_id", as: String.self)
            return (
                try keys.cipher.openOptional(
                    try row.decode(column: "address_sealed", as: String?.self),
                    context: Vault.Context.address,
                    row: externalID
                ),
                try keys.cipher.openOptional(
                    try row.decode(column: "national_id_sealed", as: String?.self),
                    context: Vault.Context.nationalID,
                    row: externalID
                )
            )
        }
    }

    private func fetchOne(_ condition: SQLQueryString) async throws -> Customer? {
        let query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM customers " + condition
        guard let row = try await database.withConnection({ sql in try await sql.raw(query).first() }) else {
            return nil
        }
        return try await opening { keys in try decode(row, keys: keys) }
    }

    /// Runs `body` with the vault's keys. When a ciphertext names a key the ring lacks (a `kilpi keys rotate`
    /// elsewhere added it after this process read its keys), the key source is read again and `body` retried
    /// once, so a running server opens rows the rotation re-sealed instead of failing.
    func opening<T>(_ body: (Vault.Keys) throws -> T) async throws -> T {
        do {
            return try body(vault.keys)
        } catch let error as VaultError where error == .unknownKeyID {
            guard try await vault.reload(database: database) else { throw error }
            return try body(vault.keys)
        }
    }

    /// A customer row opened. Every sealed field is bound to the row's external id: a ciphertext copied from
    /// another customer's row fails here rather than showing that customer's data.
    func decode(_ row: any SQLRow, keys: Vault.Keys) throws -> Customer {
        let c = keys.cipher
        let externalID = try row.decode(column: "external_id", as: String.self)
        return Customer(
            id: try row.decode(column: "id", as: Int64.self),
            externalID: externalID,
            name: try c.openOptional(
                try row.decode(column: "name_sealed", as: String?.self),
                context: Vault.Context.name,
                row: externalID
            ),
            email: try c.openOptional(
                try row.decode(column: "email_sealed", as: String?.self),
                context: Vault.Context.email,
                row: externalID
            ),
            phone: try c.openOptional(
                try row.decode(column: "phone_sealed", as: String?.self),
                context: Vault.Context.phone,
                row: externalID
            ),
            language: try row.decode(column: "language", as: String.self),
            country: try row.decode(column: "country", as: String.self),
            region: try row.decode(column: "region", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            erasedAt: try row.decode(column: "erased_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
        )
    }
}
