import Foundation
import KilpiCore
import SQLKit

/// A bearer token for the JSON API. The secret is shown once at creation; only its SHA-256 is kept.
public struct APIToken: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let name: String
    public let role: Role
    /// The first characters of the secret, so an operator can tell tokens apart without the secret.
    public let prefix: String
    /// `user:<id>` for a token made in the console, `cli` for one made with `kilpi token create`.
    public let createdBy: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?
    /// After this the token is refused like an unknown one.
    public let expiresAt: Date
    /// Made with `kilpi token create --protected`: only `kilpi token revoke` on the server revokes it, never the API
    /// or the console (an integration that must not be cut off through the API it tests).
    public let isProtected: Bool

    /// Neither revoked nor expired at `now`.
    public func isUsable(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}

/// How long API tokens live: chosen in whole days at creation, 90 unless said otherwise, never above a year.
public enum APITokenLifetime {
    public static let defaultDays = 90
    public static let maximumDays = 365
    public static let allowedDays = 1...maximumDays
}

public protocol APITokenRepository: Sendable {
    /// Returns the token record and its secret (`kilpi_<random>`), which is never stored.
    func create(
        name: String,
        role: Role,
        createdBy: String,
        expiresAt: Date,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> (token: APIToken, secret: String)
    /// `create` in a transaction of its own.
    func create(
        name: String,
        role: Role,
        createdBy: String,
        expiresAt: Date,
        now: Date
    ) async throws -> (token: APIToken, secret: String)
    /// The unrevoked, unexpired token with this secret; records its use.
    func authenticate(secret: String, now: Date) async throws -> APIToken?
    func all() async throws -> [APIToken]
    func find(id: Int64) async throws -> APIToken?
    /// False when no such unrevoked token exists.
    func revoke(id: Int64, now: Date, in sql: any SQLDatabase) async throws -> Bool
    /// `revoke` in a transaction of its own.
    func revoke(id: Int64, now: Date) async throws -> Bool
    /// Revokes every unrevoked token `createdBy` made (a disabled person's tokens); returns their ids.
    func revokeAll(createdBy: String, now: Date, in sql: any SQLDatabase) async throws -> [Int64]
    /// Marks a token protected; returns it as it is now.
    func protect(id: Int64, in sql: any SQLDatabase) async throws -> APIToken?
    /// `revoke`, for the command line only: `evenIfProtected` also revokes a protected token (`revoke` does not).
    func revoke(id: Int64, now: Date, evenIfProtected: Bool, in sql: any SQLDatabase) async throws -> Bool
    /// Revokes the unrevoked tokens `createdBy` made with `role`.
    func revokeAll(createdBy: String, role: Role, now: Date, in sql: any SQLDatabase) async throws -> [Int64]
}

extension APITokenRepository {
    /// A token with the default lifetime, in a transaction of its own (tests, tools).
    public func create(
        name: String,
        role: Role,
        createdBy: String,
        now: Date
    ) async throws -> (token: APIToken, secret: String) {
        try await create(
            name: name,
            role: role,
            createdBy: createdBy,
            expiresAt: now.addingTimeInterval(TimeInterval(APITokenLifetime.defaultDays) * 86_400),
            now: now
        )
    }
}

public struct SQLAPITokenRepository: APITokenRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns =
        "id, name, role, prefix, created_by, created_at, last_used_at, revoked_at, expires_at, is_protected"

    public func create(
        name: String,
        role: Role,
        createdBy: String,
        expiresAt: Date,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> (token: APIToken, secret: String) {
        let secret = "kilpi_" + SecureRandom.token(byteCount: 32)
        let prefix = String(secret.prefix(12))
        guard
            let token = try await sql.raw(
                """
                INSERT INTO api_tokens (name, role, token_hash, prefix, created_by, created_at, expires_at)
                VALUES (\(bind: name), \(bind: role.rawValue), \(bind: Digest.sha256Hex(secret)), \(bind: prefix),
                        \(bind: createdBy), \(bind: now.epochMilliseconds), \(bind: expiresAt.epochMilliseconds))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first().map(Self.decode)
        else { throw DatabaseError.notFound("token was not created") }
        return (token, secret)
    }

    /// `create` in a transaction of its own.
    public func create(
        name: String,
        role: Role,
        createdBy: String,
        expiresAt: Date,
        now: Date
    ) async throws -> (token: APIToken, secret: String) {
        try await database.transaction { sql in
            try await create(name: name, role: role, createdBy: createdBy, expiresAt: expiresAt, now: now, in: sql)
        }
    }

    public func authenticate(secret: String, now: Date) async throws -> APIToken? {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                UPDATE api_tokens SET last_used_at = \(bind: now.epochMilliseconds)
                WHERE token_hash = \(bind: Digest.sha256Hex(secret)) AND revoked_at IS NULL
                  AND expires_at > \(bind: now.epochMilliseconds)
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first().map(Self.decode)
        }
    }

    public func all() async throws -> [APIToken] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM api_tokens ORDER BY id").all().map(Self.decode)
        }
    }

    public func find(id: Int64) async throws -> APIToken? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM api_tokens WHERE id = \(bind: id)").first().map(
                Self.decode
            )
        }
    }

    /// Never a protected token: those only `revoke(id:now:evenIfProtected:in:)` revokes.
    public func revoke(id: Int64, now: Date, in sql: any SQLDatabase) async throws -> Bool {
        try await revoke(id: id, now: now, evenIfProtected: false, in: sql)
    }

    public func revoke(id: Int64, now: Date, evenIfProtected: Bool, in sql: any SQLDatabase) async throws -> Bool {
        !(try await sql.raw(
            """
            UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id) AND revoked_at IS NULL \(unsafeRaw: evenIfProtected ? "" : "AND NOT is_protected")
            RETURNING id
            """
        ).all().isEmpty)
    }

    public func protect(id: Int64, in sql: any SQLDatabase) async throws -> APIToken? {
        try await sql.raw(
            """
            UPDATE api_tokens SET is_protected = \(bind: true) WHERE id = \(bind: id)
            RETURNING \(unsafeRaw: Self.columns)
            """
        ).first().map(Self.decode)
    }

    /// `revoke` in a transaction of its own.
    public func revoke(id: Int64, now: Date) async throws -> Bool {
        try await database.transaction { sql in try await revoke(id: id, now: now, in: sql) }
    }

    public func revokeAll(createdBy: String, role: Role, now: Date, in sql: any SQLDatabase) async throws -> [Int64] {
        try await sql.raw(
            """
            UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
            WHERE created_by = \(bind: createdBy) AND role = \(bind: role.rawValue) AND revoked_at IS NULL RETURNING id
            """
        ).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
    }

    public func revokeAll(createdBy: String, now: Date, in sql: any SQLDatabase) async throws -> [Int64] {
        try await sql.raw(
            """
            UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
            WHERE created_by = \(bind: createdBy) AND revoked_at IS NULL RETURNING id
            """
        ).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
    }

    static func decode(_ row: any SQLRow) throws -> APIToken {
        APIToken(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
            prefix: try row.decode(column: "prefix", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            // A row without an expiry (none after migration 9) counts as expired: fail closed.
            expiresAt: Date(epochMilliseconds: try row.decode(column: "expires_at", as: Int64?.self) ?? 0),
            isProtected: try row.decode(column: "is_protected", as: Bool.self)
        )
    }
}
