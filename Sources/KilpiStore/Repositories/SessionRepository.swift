import Foundation
import KilpiCore
import SQLKit

/// A signed-in browser. The cookie holds a random 256-bit id; the database holds only its hash.
public struct StaffSession: Sendable, Equatable {
    public enum Stage: String, Sendable {
        /// Password accepted; the second factor is still owed.
        case needsSecondFactor
        /// An admin without a second factor yet: may only enrol one.
        case needsEnrolment
        case complete
    }
    public let userID: Int64
    public let csrfToken: String
    public let stage: Stage
    /// Set only on a session started by an enrolment or setup link: the one session that may set up the first
    /// second factor of an account that requires one. A later password-only sign-in of that account gets a
    /// session without it, so whoever learns the password cannot enrol their own authenticator.
    public let mayEnrol: Bool
    public let createdAt: Date
    public let lastSeenAt: Date
    public let expiresAt: Date
}

public protocol SessionRepository: Sendable {
    /// Creates a session without the enrolment right and returns its id (for the cookie) and the stored session.
    func create(
        userID: Int64,
        stage: StaffSession.Stage,
        ip: String,
        now: Date,
        absoluteLifetime: TimeInterval
    ) async throws -> (id: String, session: StaffSession)
    /// Creates a session inside the caller's transaction; `mayEnrol` only for the enrolment and setup links.
    func create(
        userID: Int64,
        stage: StaffSession.Stage,
        mayEnrol: Bool,
        ip: String,
        now: Date,
        absoluteLifetime: TimeInterval,
        in sql: any SQLDatabase
    ) async throws -> (id: String, session: StaffSession)
    /// The live session for a cookie id: not past its absolute expiry and used within `idleTimeout`.
    /// Touches `last_seen_at`. Expired sessions are deleted when met.
    func find(id: String, now: Date, idleTimeout: TimeInterval) async throws -> StaffSession?
    func delete(id: String) async throws
    /// "Sign out everywhere". Returns how many sessions ended.
    @discardableResult func deleteAll(userID: Int64) async throws -> Int
    /// `deleteAll` inside the caller's transaction.
    @discardableResult func deleteAll(userID: Int64, in sql: any SQLDatabase) async throws -> Int
    func count(userID: Int64) async throws -> Int
}

public struct SQLSessionRepository: SessionRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    /// A session without the enrolment right (every sign-in but the link flows).
    public func create(
        userID: Int64,
        stage: StaffSession.Stage,
        ip: String,
        now: Date,
        absoluteLifetime: TimeInterval
    ) async throws -> (id: String, session: StaffSession) {
        try await database.withConnection { sql in
            try await create(
                userID: userID,
                stage: stage,
                mayEnrol: false,
                ip: ip,
                now: now,
                absoluteLifetime: absoluteLifetime,
                in: sql
            )
        }
    }

    public func create(
        userID: Int64,
        stage: StaffSession.Stage,
        mayEnrol: Bool,
        ip: String,
        now: Date,
        absoluteLifetime: TimeInterval,
        in sql: any SQLDatabase
    ) async throws -> (id: String, session: StaffSession) {
        let id = SecureRandom.token(byteCount: 32)
        let session = StaffSession(
            userID: userID,
            csrfToken: SecureRandom.token(byteCount: 32),
            stage: stage,
            mayEnrol: mayEnrol,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: now.addingTimeInterval(absoluteLifetime)
        )
        try await sql.raw(
            """
            INSERT INTO staff_sessions (id_hash, user_id, csrf_token, stage, may_enrol, created_at, last_seen_at,
                                        expires_at, ip)
            VALUES (\(bind: Digest.sha256Hex(id)), \(bind: userID), \(bind: session.csrfToken), \(bind: stage.rawValue),
                    \(bind: mayEnrol), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds),
                    \(bind: session.expiresAt.epochMilliseconds), \(bind: ip))
            """
        ).run()
        return (id, session)
    }

    /// How stale `last_seen_at` may get before a request writes it again: a console page is several requests, and
    /// each of them writing would put every page view behind the database's one writer. The idle timeout is measured
    /// from the last write, so a session may end up to this much before a full idle period has passed.
    public static let lastSeenResolution: TimeInterval = 60

    /// The session, read on the reader pool; written only to end an expired session or to move `last_seen_at` on
    /// once it is `lastSeenResolution` old.
    public func find(id: String, now: Date, idleTimeout: TimeInterval) async throws -> StaffSession? {
        let hash = Digest.sha256Hex(id)
        let found = try await database.read { sql in
            try await sql.raw(
                """
                SELECT user_id, csrf_token, stage, may_enrol, created_at, last_seen_at, expires_at FROM staff_sessions
                WHERE id_hash = \(bind: hash)
                """
            ).first().map { row in
                StaffSession(
                    userID: try row.decode(column: "user_id", as: Int64.self),
                    csrfToken: try row.decode(column: "csrf_token", as: String.self),
                    stage: StaffSession.Stage(rawValue: try row.decode(column: "stage", as: String.self))
                        ?? .needsSecondFactor,
                    mayEnrol: try row.decode(column: "may_enrol", as: Bool.self),
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    lastSeenAt: Date(epochMilliseconds: try row.decode(column: "last_seen_at", as: Int64.self)),
                    expiresAt: Date(epochMilliseconds: try row.decode(column: "expires_at", as: Int64.self))
                )
            }
        }
        guard let session = found else { return nil }
        if now >= session.expiresAt || now.timeIntervalSince(session.lastSeenAt) > idleTimeout {
            try await database.withConnection { sql in
                try await sql.raw("DELETE FROM staff_sessions WHERE id_hash = \(bind: hash)").run()
            }
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= Self.lastSeenResolution {
            try await database.withConnection { sql in
                try await sql.raw(
                    """
                    UPDATE staff_sessions SET last_seen_at = \(bind: now.epochMilliseconds)
                    WHERE id_hash = \(bind: hash) AND last_seen_at < \(bind: now.epochMilliseconds)
                    """
                ).run()
            }
        }
        return session
    }

    public func delete(id: String) async throws {
        try await database.withConnection { sql in
            try await sql.raw("DELETE FROM staff_sessions WHERE id_hash = \(bind: Digest.sha256Hex(id))").run()
        }
    }

    @discardableResult
    public func deleteAll(userID: Int64) async throws -> Int {
        try await database.withConnection { sql in try await deleteAll(userID: userID, in: sql) }
    }

    @discardableResult
    public func deleteAll(userID: Int64, in sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("DELETE FROM staff_sessions WHERE user_id = \(bind: userID) RETURNING user_id").all().count
    }

    public func count(userID: Int64) async throws -> Int {
        try await database.withConnection { sql in
            try await sql.raw("SELECT count(*) AS n FROM staff_sessions WHERE user_id = \(bind: userID)")
                .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }
}
