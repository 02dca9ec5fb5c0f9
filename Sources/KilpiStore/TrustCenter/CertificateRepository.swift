import Foundation
import KilpiCore
import SQLKit

/// The certificates register (`trust_certificates`). Each change is audited in its own transaction, with what
/// changed; a removed certificate keeps its row and leaves every list.
public struct CertificateRepository: Sendable {
    let database: Database
    let audit: any AuditLog

    public init(database: Database, audit: any AuditLog) {
        self.database = database
        self.audit = audit
    }

    public func create(_ input: CertificateInput, by caller: Caller, now: Date) async throws -> Certificate {
        let audit = audit
        return try await database.transaction { sql in
            let row = try await sql.raw(
                """
                INSERT INTO trust_certificates (standard, issuer, scope, valid_from, valid_until, published, updated_by,
                    updated_at)
                VALUES (\(bind: input.standard), \(bind: input.issuer), \(bind: input.scope),
                    \(bind: input.validFrom.epochMilliseconds), \(bind: input.validUntil.epochMilliseconds),
                    \(bind: input.published ? 1 : 0), \(bind: caller.actor.description), \(bind: now.epochMilliseconds))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first()
            let certificate = try Self.certificate(row!)
            try await audit.append(
                caller.event(.certificateCreate, target: "certificate:\(certificate.id)", detail: Self.detail(input)),
                now: now,
                in: sql
            )
            return certificate
        }
    }

    /// Replaces a certificate's fields; nil when there is none with `id` (or it was removed).
    public func update(id: Int64, _ input: CertificateInput, by caller: Caller, now: Date) async throws -> Certificate?
    {
        let audit = audit
        return try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    """
                    UPDATE trust_certificates SET standard = \(bind: input.standard), issuer = \(bind: input.issuer),
                        scope = \(bind: input.scope), valid_from = \(bind: input.validFrom.epochMilliseconds),
                        valid_until = \(bind: input.validUntil.epochMilliseconds), published = \(bind: input.published ? 1 : 0),
                        updated_by = \(bind: caller.actor.description), updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: id) AND removed_at IS NULL
                    RETURNING \(unsafeRaw: Self.columns)
                    """
                ).first()
            else { return nil }
            try await audit.append(
                caller.event(.certificateUpdate, target: "certificate:\(id)", detail: Self.detail(input)),
                now: now,
                in: sql
            )
            return try Self.certificate(row)
        }
    }

    /// Takes a certificate off the register (and the public site); false when there is none to remove.
    public func remove(id: Int64, by caller: Caller, now: Date) async throws -> Bool {
        let audit = audit
        return try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    """
                    UPDATE trust_certificates SET removed_at = \(bind: now.epochMilliseconds),
                        updated_by = \(bind: caller.actor.description), updated_at = \(bind: now.epochMilliseconds)
                    WHERE id = \(bind: id) AND removed_at IS NULL
                    RETURNING standard
                    """
                ).first()
            else { return false }
            try await audit.append(
                caller.event(
                    .certificateRemove,
                    target: "certificate:\(id)",
                    detail: try row.decode(column: "standard", as: String.self)
                ),
                now: now,
                in: sql
            )
            return true
        }
    }

    public func find(id: Int64) async throws -> Certificate? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM trust_certificates WHERE id = \(bind: id) AND removed_at IS NULL"
            ).first().map(Self.certificate)
        }
    }

    /// Whether the register ever held anything (removed ones count): the demo seeds only an empty one.
    public func isEmpty() async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT id FROM trust_certificates LIMIT 1").first() == nil
        }
    }

    /// The register, latest expiry first; `publishedOnly` for the public site.
    public func list(publishedOnly: Bool = false) async throws -> [Certificate] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM trust_certificates WHERE removed_at IS NULL
                \(unsafeRaw: publishedOnly ? "AND published = 1" : "")
                ORDER BY valid_until DESC, id
                """
            ).all().map(Self.certificate)
        }
    }

    /// Certificates whose last valid day is today or within `Certificate.reminderDays`, soonest first.
    public func expiringSoon(now: Date) async throws -> [Certificate] {
        let certificates = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM trust_certificates WHERE removed_at IS NULL
                AND valid_until >= \(bind: now.epochMilliseconds - 86_400_000)
                AND valid_until <= \(bind: now.epochMilliseconds + Int64(Certificate.reminderDays) * 86_400_000)
                ORDER BY valid_until, id
                """
            ).all().map(Self.certificate)
        }
        return certificates.filter {
            if case .expiringSoon = $0.status(now: now) { return true }
            return false
        }
    }

    static let columns = "id, standard, issuer, scope, valid_from, valid_until, published, updated_by, updated_at"

    static func certificate(_ row: any SQLRow) throws -> Certificate {
        Certificate(
            id: try row.decode(column: "id", as: Int64.self),
            standard: try row.decode(column: "standard", as: String.self),
            issuer: try row.decode(column: "issuer", as: String.self),
            scope: try row.decode(column: "scope", as: String.self),
            validFrom: Date(epochMilliseconds: try row.decode(column: "valid_from", as: Int64.self)),
            validUntil: Date(epochMilliseconds: try row.decode(column: "valid_until", as: Int64.self)),
            published: try row.decode(column: "published", as: Int.self) != 0,
            updatedBy: try row.decode(column: "updated_by", as: String.self),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self))
        )
    }

    /// What the audit entry records: the standard, the days and whether it is public.
    static func detail(_ input: CertificateInput) -> String {
        let days = "\(NoticeDate.minute(input.validFrom).prefix(10))..\(NoticeDate.minute(input.validUntil).prefix(10))"
        return "\(input.standard.prefix(80)) \(days)\(input.published ? " published" : "")"
    }
}
