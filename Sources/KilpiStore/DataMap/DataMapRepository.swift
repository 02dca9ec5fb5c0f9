import Foundation
import KilpiCore
import SQLKit

/// A system with its counts, for the systems page.
public struct SystemSummary: Sendable, Equatable {
    public let system: DataSystem
    public let customers: Int
    /// Category id → number of customers with that category in this system.
    public let categories: [String: Int]
}

/// One line of a customer's data map.
public struct CustomerHolding: Sendable, Equatable, Codable {
    public let systemID: Int64
    public let systemName: String
    public let categoryID: String
    public let heldFrom: Date
    public let heldUntil: Date?
}

/// Systems input as imported.
public struct SystemInput: Sendable, Equatable {
    public var name: String
    public var kind: SystemKind
    public var owner: String
    public var location: String
    public var encryptedAtRest: Bool
    public var keyLocation: String

    public init(
        name: String,
        kind: SystemKind,
        owner: String,
        location: String,
        encryptedAtRest: Bool,
        keyLocation: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.owner = owner
        self.location = location
        self.encryptedAtRest = encryptedAtRest
        self.keyLocation = keyLocation
    }
}

/// Holding input with names already resolved to ids.
public struct HoldingInput: Sendable, Equatable {
    public var customerID: Int64
    public var systemID: Int64
    public var categoryID: String
    public var heldFrom: Date
    public var heldUntil: Date?
}

/// Systems, categories and holdings: the non-personal half of the data map.
public struct DataMapRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Categories

    /// Installs the shipped catalogue where a category is missing; edited categories are left as they are.
    public func installCatalogue(_ catalogue: [DataCategory] = DataCategory.catalogue, now: Date) async throws {
        try await database.transaction { sql in
            for category in catalogue {
                let exists =
                    try await sql.raw("SELECT id FROM data_categories WHERE id = \(bind: category.id)").first() != nil
                if exists { continue }
                try await sql.raw(
                    """
                    INSERT INTO data_categories (id, name_en, name_fi, sensitivity, advice_en, advice_fi, updated_at)
                    VALUES (\(bind: category.id), \(bind: category.nameEN), \(bind: category.nameFI), \(bind: category.sensitivity.rawValue),
                            \(bind: category.adviceEN), \(bind: category.adviceFI), \(bind: now.epochMilliseconds))
                    """
                ).run()
            }
        }
    }

    public func categories() async throws -> [DataCategory] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT id, name_en, name_fi, sensitivity, advice_en, advice_fi FROM data_categories ORDER BY id"
            ).all().map { row in
                DataCategory(
                    id: try row.decode(column: "id", as: String.self),
                    nameEN: try row.decode(column: "name_en", as: String.self),
                    nameFI: try row.decode(column: "name_fi", as: String.self),
                    sensitivity: Sensitivity(rawValue: try row.decode(column: "sensitivity", as: String.self)) ?? .high,
                    adviceEN: try row.decode(column: "advice_en", as: String.self),
                    adviceFI: try row.decode(column: "advice_fi", as: String.self)
                )
            }
        }
    }

    public func updateCategory(
        _ category: DataCategory,
        now: Date,
        audit: Audited<DataCategory>? = nil
    ) async throws -> Bool {
        try await database.transaction { sql in
            let found =
                !(try await sql.raw(
                    """
                    UPDATE data_categories SET name_en = \(bind: category.nameEN), name_fi = \(bind: category.nameFI),
                        sensitivity = \(bind: category.sensitivity.rawValue), advice_en = \(bind: category.adviceEN),
                        advice_fi = \(bind: category.adviceFI), updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: category.id) RETURNING id
                    """
                ).all().isEmpty)
            if found { try await audit.write(category, in: sql) }
            return found
        }
    }

    // MARK: Systems

    static func nameKey(_ name: String) -> String {
        name.trimmingWhitespace().lowercased()
    }

    public func upsertSystem(_ input: SystemInput, now: Date, in sql: any SQLDatabase) async throws -> UpsertCounts {
        let key = Self.nameKey(input.name)
        if let row = try await sql.raw(
            "SELECT id, name, kind, owner, location, encrypted_at_rest, key_location FROM systems WHERE name_key = \(bind: key)"
        ).first() {
            let existing = try Self.decodeSystem(row)
            let wanted = DataSystem(
                id: existing.id,
                name: input.name,
                kind: input.kind,
                owner: input.owner,
                location: input.location,
                encryptedAtRest: input.encryptedAtRest,
                keyLocation: input.keyLocation
            )
            if existing == wanted { return UpsertCounts(unchanged: 1) }
            try await sql.raw(
                """
                UPDATE systems SET name = \(bind: input.name), kind = \(bind: input.kind.rawValue), owner = \(bind: input.owner),
                    location = \(bind: input.location), encrypted_at_rest = \(bind: input.encryptedAtRest),
                    key_location = \(bind: input.keyLocation), updated_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: existing.id)
                """
            ).run()
            return UpsertCounts(updated: 1)
        }
        try await sql.raw(
            """
            INSERT INTO systems (name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at)
            VALUES (\(bind: input.name), \(bind: key), \(bind: input.kind.rawValue), \(bind: input.owner), \(bind: input.location),
                    \(bind: input.encryptedAtRest), \(bind: input.keyLocation), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
            """
        ).run()
        return UpsertCounts(inserted: 1)
    }

    public func systems() async throws -> [DataSystem] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT id, name, kind, owner, location, encrypted_at_rest, key_location FROM systems ORDER BY name_key"
            )
            .all().map(Self.decodeSystem)
        }
    }

    /// System name (case-insensitive) → id, for resolving holdings.
    public func systemIDsByName(in sql: any SQLDatabase) async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try await sql.raw("SELECT id, name_key FROM systems").all() {
            result[try row.decode(column: "name_key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        return result
    }

    public func categoryIDs(in sql: any SQLDatabase) async throws -> Set<String> {
        Set(
            try await sql.raw("SELECT id FROM data_categories").all().map {
                try $0.decode(column: "id", as: String.self)
            }
        )
    }

    public func summaries() async throws -> [SystemSummary] {
        let systems = try await systems()
        return try await database.withConnection { sql in
            var customers: [Int64: Int] = [:]
            for row in try await sql.raw(
                "SELECT system_id, count(DISTINCT customer_id) AS n FROM holdings GROUP BY system_id"
            ).all() {
                customers[try row.decode(column: "system_id", as: Int64.self)] = try row.decode(
                    column: "n",
                    as: Int.self
                )
            }
            var categories: [Int64: [String: Int]] = [:]
            for row in try await sql.raw(
                "SELECT system_id, category_id, count(DISTINCT customer_id) AS n FROM holdings GROUP BY system_id, category_id"
            ).all() {
                categories[try row.decode(column: "system_id", as: Int64.self), default: [:]][
                    try row.decode(column: "category_id", as: String.self)
                ] = try row.decode(column: "n", as: Int.self)
            }
            return systems.map {
                SystemSummary(system: $0, customers: customers[$0.id] ?? 0, categories: categories[$0.id] ?? [:])
            }
        }
    }

    static func decodeSystem(_ row: any SQLRow) throws -> DataSystem {
        DataSystem(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            kind: SystemKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
            owner: try row.decode(column: "owner", as: String.self),
            location: try row.decode(column: "location", as: String.self),
            encryptedAtRest: try row.decode(column: "encrypted_at_rest", as: Bool.self),
            keyLocation: try row.decode(column: "key_location", as: String.self)
        )
    }

    // MARK: Holdings

    /// Inserts holdings; an identical (customer, system, category, from) row gets its `until` updated.
    public func upsertHoldings(_ batch: [HoldingInput], in sql: any SQLDatabase) async throws -> UpsertCounts {
        try await writeHoldings(batch, fresh: false, in: BulkConnection(sql: sql, sqlite: nil))
    }

    public func holdings(customerID: Int64) async throws -> [CustomerHolding] {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT h.system_id, s.name, h.category_id, h.held_from, h.held_until FROM holdings h
                JOIN systems s ON s.id = h.system_id WHERE h.customer_id = \(bind: customerID)
                ORDER BY s.name_key, h.category_id, h.held_from
                """
            ).all().map { row in
                CustomerHolding(
                    systemID: try row.decode(column: "system_id", as: Int64.self),
                    systemName: try row.decode(column: "name", as: String.self),
                    categoryID: try row.decode(column: "category_id", as: String.self),
                    heldFrom: Date(epochMilliseconds: try row.decode(column: "held_from", as: Int64.self)),
                    heldUntil: try row.decode(column: "held_until", as: Int64?.self).map(Date.init(epochMilliseconds:))
                )
            }
        }
    }

    public func holdingCount() async throws -> Int {
        try await database.withConnection {
            try await $0.raw("SELECT count(*) AS n FROM holdings").first().map {
                try $0.decode(column: "n", as: Int.self)
            } ?? 0
        }
    }
}
