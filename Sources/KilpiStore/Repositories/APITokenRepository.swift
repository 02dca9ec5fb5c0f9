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
    public let createdBy: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?
}

public protocol APITokenRepository: Sendable {
    /// Returns the token record and its secret (`kilpi_<random>`), which is never stored.
    func create(
        name: String,
        role: Role,
        createdBy: String,
        now: Date
    ) async throws -> (token: APIToken, secret: String)
    /// The unrevoked token with this secret; records its use.
    func authenticate(secret: String, now: Date) async throws -> APIToken?
    func all() async throws -> [APIToken]
    func find(id: Int64) async throws -> APIToken?
    /// False when no such unrevoked token exists.
    func revoke(id: Int64, now: Date) async throws -> Bool
}

public struct SQLAPITokenRepository: APITokenRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = "id, name, role, prefix, created_by, created_at, last_used_at, revoked_at"

    public func create(
        name: String,
        role: Role,
        createdBy: String,
        now: Date
    ) async throws -> (token: APIToken, secret: String) {
        let secret = "kilpi_" + SecureRandom.token(byteCount: 32)
        let prefix = String(secret.prefix(12))
        let id = try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO api_tokens (name, role, token_hash, prefix, created_by, created_at)
                VALUES (\(bind: name), \(bind: role.rawValue), \(bind: Digest.sha256Hex(secret)), \(bind: prefix),
                        \(bind: createdBy), \(bind: now.epochMilliseconds))
                RETURNING id
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }
        }
        guard let id, let token = try await find(id: id) else { throw DatabaseError.notFound("token was not created") }
        return (token, secret)
    }

    public func authenticate(secret: String, now: Date) async throws -> APIToken? {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                UPDATE api_tokens SET last_used_at = \(bind: now.epochMilliseconds)
                WHERE token_hash = \(bind: Digest.sha256Hex(secret)) AND revoked_at IS NULL
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

    public func revoke(id: Int64, now: Date) async throws -> Bool {
        try await database.withConnection { sql in
            !(try await sql.raw(
                """
                UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
                """
            ).all().isEmpty)
        }
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
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
        )
    }
}
