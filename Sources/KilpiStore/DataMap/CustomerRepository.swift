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
        try await write(try batch.map(seal), fresh: false, now: now, in: BulkConnection(sql: sql, sqlite: nil))
    }

    /// Keyed MAC of every field: equal MACs mean an import row brings nothing new.
    ///
    /// The MAC is over `len:value` per field (`-` for none), joined by `|`; stored MACs depend on exactly these bytes.
    /// Built byte by byte: the string interpolation and join cost as much as the HMAC itself.
    func contentMAC(_ input: CustomerInput) -> String {
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
        return vault.index.index(String(decoding: canonical, as: UTF8.self), purpose: "customer-content")
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
    public func find(email: String) async throws -> [Customer] {
        let indexes = vault.index.allEmailIndexes(email)
        return try await database.withConnection { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM customers WHERE email_index IN (\(binds: indexes)) ORDER BY id"
            )
            .all().map { try decode($0) }
        }
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
        try await database.withConnection { sql in
            guard
                let row = try await sql.raw(
                    "SELECT address_sealed, national_id_sealed FROM customers WHERE id = \(bind: id)"
                ).first()
            else { return (nil, nil) }
            return (
                try vault.cipher.openOptional(
                    try row.decode(column: "address_sealed", as: String?.self),
                    context: Vault.Context.address
                ),
                try vault.cipher.openOptional(
                    try row.decode(column: "national_id_sealed", as: String?.self),
                    context: Vault.Context.nationalID
                )
            )
        }
    }

    private func fetchOne(_ condition: SQLQueryString) async throws -> Customer? {
        let query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM customers " + condition
        return try await database.withConnection { sql in try await sql.raw(query).first().map { try decode($0) } }
    }

    func decode(_ row: any SQLRow) throws -> Customer {
        let c = vault.cipher
        return Customer(
            id: try row.decode(column: "id", as: Int64.self),
            externalID: try row.decode(column: "external_id", as: String.self),
            name: try c.openOptional(
                try row.decode(column: "name_sealed", as: String?.self),
                context: Vault.Context.name
            ),
            email: try c.openOptional(
                try row.decode(column: "email_sealed", as: String?.self),
                context: Vault.Context.email
            ),
            phone: try c.openOptional(
                try row.decode(column: "phone_sealed", as: String?.self),
                context: Vault.Context.phone
            ),
            language: try row.decode(column: "language", as: String.self),
            country: try row.decode(column: "country", as: String.self),
            region: try row.decode(column: "region", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            erasedAt: try row.decode(column: "erased_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
        )
    }
}
