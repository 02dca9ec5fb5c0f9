import Foundation
import KilpiCore
import SQLKit

/// API tokens as the console, the API and `kilpi token` make and revoke them: one rule for the name and the
/// lifetime, and the audit entry in the change's own transaction.
extension AccountService {
    /// Creates a token that expires after `expiresInDays` (1 to 365) and returns it with its secret, shown once.
    /// `actor` is recorded as its creator (`user:<id>` or `cli`): disabling that person revokes it. A protected
    /// token (`isProtected`, offered by `kilpi token create --protected` only) can be revoked by `kilpi token revoke`
    /// alone, not through the API or the console.
    public func createToken(
        name: String,
        role: Role,
        expiresInDays: Int = APITokenLifetime.defaultDays,
        isProtected: Bool = false,
        actor: String,
        ip: String
    ) async throws -> (token: APIToken, secret: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw AccountError(.invalidTokenName) }
        guard APITokenLifetime.allowedDays.contains(expiresInDays) else { throw AccountError(.invalidTokenExpiry) }
        let now = now()
        let expiresAt = now.addingTimeInterval(TimeInterval(expiresInDays) * 86_400)
        let store = self.store
        return try await store.database.transaction { sql in
            // A person's token is made under their account as it is now, not as their session was when the request
            // began: a demotion or disabling that commits first must not be outlived by a token made meanwhile.
            if case .user(let userID)? = Actor(actor) {
                guard let creator = try await store.users.findLocked(id: userID, in: sql), creator.status == .active,
                    AccessPolicy.allows(creator.role, .tokensManage), AccessPolicy.covers(creator.role, role)
                else { throw AccountError(.notFound) }
            }
            var created = try await store.tokens.create(
                name: name,
                role: role,
                createdBy: actor,
                expiresAt: expiresAt,
                now: now,
                in: sql
            )
            if isProtected {
                guard let protected = try await store.tokens.protect(id: created.token.id, in: sql) else {
                    throw DatabaseError.notFound("token \(created.token.id) vanished")
                }
                created.token = protected
            }
            try await store.audit.append(
                AuditEvent(
                    actor: actor,
                    action: .tokenCreate,
                    target: "token:\(created.token.id)",
                    ip: ip,
                    detail: "role \(role.rawValue), expires in \(expiresInDays) days"
                        + (isProtected ? ", protected (revocable from the command line only)" : "")
                ),
                now: now,
                in: sql
            )
            return created
        }
    }

    /// Revokes a token; false when no unrevoked, unprotected token has this id (nothing is written then).
    public func revokeToken(id: Int64, actor: String, ip: String, detail: String = "") async throws -> Bool {
        try await revokeToken(id: id, evenIfProtected: false, actor: actor, ip: ip, detail: detail) == .revoked
    }

    /// What became of a request to revoke a token.
    public enum TokenRevocation: Sendable, Equatable {
        case revoked
        /// No unrevoked token has this id.
        case notFound
        /// The token is protected and the request did not come from the command line; nothing was written.
        case protected
    }

    /// Revokes a token. `evenIfProtected` is for `kilpi token revoke` only: the API and the console pass false, so
    /// a protected token survives them.
    public func revokeToken(
        id: Int64,
        evenIfProtected: Bool,
        actor: String,
        ip: String,
        detail: String = ""
    ) async throws -> TokenRevocation {
        let now = now()
        let store = self.store
        return try await store.database.transaction { sql in
            guard try await store.tokens.revoke(id: id, now: now, evenIfProtected: evenIfProtected, in: sql) else {
                let protected = try await sql.raw(
                    """
                    SELECT id FROM api_tokens WHERE id = \(bind: id) AND revoked_at IS NULL AND is_protected
                    """
                ).first()
                return protected == nil ? .notFound : .protected
            }
            try await store.audit.append(
                AuditEvent(actor: actor, action: .tokenRevoke, target: "token:\(id)", ip: ip, detail: detail),
                now: now,
                in: sql
            )
            return .revoked
        }
    }
}
