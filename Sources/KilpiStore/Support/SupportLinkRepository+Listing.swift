import Foundation
import KilpiCore
import SQLKit

/// One issued link as staff see it (to revoke it): never the token.
public struct SupportLink: Sendable, Equatable {
    public let id: Int64
    public let outboxID: Int64
    public let createdAt: Date
    public let expiresAt: Date
    public let revokedAt: Date?
}

extension SupportLinkRepository {
    /// The links issued for a notice, oldest first.
    public func links(outboxID: Int64) async throws -> [SupportLink] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT id, outbox_id, created_at, expires_at, revoked_at FROM support_links
                WHERE outbox_id = \(bind: outboxID) ORDER BY id
                """
            ).all().map { row in
                SupportLink(
                    id: try row.decode(column: "id", as: Int64.self),
                    outboxID: try row.decode(column: "outbox_id", as: Int64.self),
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    expiresAt: Date(epochMilliseconds: try row.decode(column: "expires_at", as: Int64.self)),
                    revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
                )
            }
        }
    }
}
