import Foundation
import KilpiCore
import SQLKit

/// API tokens as the console, the API and `kilpi token` make and revoke them: one rule for the name and the
/// lifetime, and the audit entry in the change's own transaction.
extension AccountService {
    /// Creates a token that expires after `expiresInDays` (1 to 365) and returns it with its secret, shown once.
    /// `actor` is recorded as its creator (`user:<id>` or `cli`): disabling that person revokes it.
    public func createToken(
        name: String,
        role: Role,
        expiresInDays: Int = APITokenLifetime.defaultDays,
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
            let created = try await store.tokens.create(
                name: name,
                role: role,
                createdBy: actor,
                expiresAt: expiresAt,
                now: now,
                in: sql
            )
            try await store.audit.append(
                AuditEvent(
                    actor: actor,
                    action: "token.create",
                    target: "token:\(created.token.id)",
                    ip: ip,
                    detail: "role \(role.rawValue), expires in \(expiresInDays) days"
                ),
                now: now,
                in: sql
            )
            return created
        }
    }

    /// Revokes a token; false when no unrevoked token has this id (nothing is written then).
    public func revokeToken(id: Int64, actor: String, ip: String, detail: String = "") async throws -> Bool {
        let now = now()
        let store = self.store
        return try await store.database.transaction { sql in
            guard try await store.tokens.revoke(id: id, now: now, in: sql) else { return false }
            try await store.audit.append(
                AuditEvent(actor: actor, action: "token.revoke", target: "token:\(id)", ip: ip, detail: detail),
                now: now,
                in: sql
            )
            return true
        }
    }
}
