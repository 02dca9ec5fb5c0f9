import Foundation
import KilpiCore
import SQLKit

/// Single-use links: the first-admin setup link and enrolment links for new staff.
/// Only a hash of the token is stored, so the database alone cannot be used to enrol.
public protocol OneTimeLinkRepository: Sendable {
    func create(
        purpose: OneTimeLink.Purpose,
        userID: Int64?,
        validFor: TimeInterval,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> String
    /// Marks the link used and returns it, if it exists, has this purpose, is unused and unexpired. Atomic.
    func consume(
        token: String,
        purpose: OneTimeLink.Purpose,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> OneTimeLink?
    /// `create` and `consume` each in a statement of their own.
    func create(purpose: OneTimeLink.Purpose, userID: Int64?, validFor: TimeInterval, now: Date) async throws -> String
    func consume(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws -> OneTimeLink?
    /// Looks without using it up (to show the form before it is submitted).
    func peek(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws -> OneTimeLink?
    /// Spends every unused link of `userID` with this purpose (a reissued link replaces the old ones).
    /// Returns how many were still usable.
    @discardableResult func invalidateAll(
        userID: Int64,
        purpose: OneTimeLink.Purpose,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> Int
}

public struct OneTimeLink: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        /// Creates the first admin; only while no admin exists.
        case setup
        /// Lets a newly added staff member set their password.
        case enrol
    }
    public let purpose: Purpose
    public let userID: Int64?
    public let expiresAt: Date
}

public struct SQLOneTimeLinkRepository: OneTimeLinkRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(
        purpose: OneTimeLink.Purpose,
        userID: Int64?,
        validFor: TimeInterval,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> String {
        let token = SecureRandom.token()
        let expires = now.addingTimeInterval(validFor)
        try await sql.raw(
            """
            INSERT INTO one_time_links (token_hash, purpose, user_id, created_at, expires_at)
            VALUES (\(bind: Digest.sha256Hex(token)), \(bind: purpose.rawValue), \(bind: userID),
                    \(bind: now.epochMilliseconds), \(bind: expires.epochMilliseconds))
            """
        ).run()
        return token
    }

    public func consume(
        token: String,
        purpose: OneTimeLink.Purpose,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> OneTimeLink? {
        try await sql.raw(
            """
            UPDATE one_time_links SET used_at = \(bind: now.epochMilliseconds)
            WHERE token_hash = \(bind: Digest.sha256Hex(token)) AND purpose = \(bind: purpose.rawValue)
              AND used_at IS NULL AND expires_at > \(bind: now.epochMilliseconds)
            RETURNING purpose, user_id, expires_at
            """
        ).first().map(Self.decode)
    }

    public func create(
        purpose: OneTimeLink.Purpose,
        userID: Int64?,
        validFor: TimeInterval,
        now: Date
    ) async throws -> String {
        try await database.withConnection { sql in
            try await create(purpose: purpose, userID: userID, validFor: validFor, now: now, in: sql)
        }
    }

    public func consume(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws -> OneTimeLink? {
        try await database.withConnection { sql in try await consume(token: token, purpose: purpose, now: now, in: sql)
        }
    }

    public func peek(token: String, purpose: OneTimeLink.Purpose, now: Date) async throws -> OneTimeLink? {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT purpose, user_id, expires_at FROM one_time_links
                WHERE token_hash = \(bind: Digest.sha256Hex(token)) AND purpose = \(bind: purpose.rawValue)
                  AND used_at IS NULL AND expires_at > \(bind: now.epochMilliseconds)
                """
            ).first().map(Self.decode)
        }
    }

    @discardableResult
    public func invalidateAll(
        userID: Int64,
        purpose: OneTimeLink.Purpose,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> Int {
        try await sql.raw(
            """
            UPDATE one_time_links SET used_at = \(bind: now.epochMilliseconds)
            WHERE user_id = \(bind: userID) AND purpose = \(bind: purpose.rawValue) AND used_at IS NULL
              AND expires_at > \(bind: now.epochMilliseconds)
            RETURNING token_hash
            """
        ).all().count
    }

    static func decode(_ row: any SQLRow) throws -> OneTimeLink {
        OneTimeLink(
            purpose: OneTimeLink.Purpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .enrol,
            userID: try row.decode(column: "user_id", as: Int64?.self),
            expiresAt: Date(epochMilliseconds: try row.decode(column: "expires_at", as: Int64.self))
        )
    }
}
