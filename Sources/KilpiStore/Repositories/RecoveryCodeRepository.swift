import Foundation
import KilpiCore
import SQLKit

/// Second-factor recovery codes, stored hashed, each usable once.
public protocol RecoveryCodeRepository: Sendable {
    /// Replaces all of the user's codes with fresh ones and returns them in clear, once.
    func regenerate(userID: Int64) async throws -> [String]
    /// `regenerate` inside the caller's transaction.
    func regenerate(userID: Int64, in sql: any SQLDatabase) async throws -> [String]
    /// Uses up a matching unused code; false when none matches.
    func consume(userID: Int64, code: String, now: Date) async throws -> Bool
    func remaining(userID: Int64) async throws -> Int
}

public struct SQLRecoveryCodeRepository: RecoveryCodeRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func regenerate(userID: Int64) async throws -> [String] {
        try await database.transaction { sql in try await regenerate(userID: userID, in: sql) }
    }

    public func regenerate(userID: Int64, in sql: any SQLDatabase) async throws -> [String] {
        let codes = RecoveryCodes.generate()
        try await sql.raw("DELETE FROM recovery_codes WHERE user_id = \(bind: userID)").run()
        for code in codes {
            try await sql.raw(
                """
                INSERT INTO recovery_codes (user_id, code_hash) VALUES (\(bind: userID), \(bind: RecoveryCodes.hash(code)))
                """
            ).run()
        }
        return codes
    }

    public func consume(userID: Int64, code: String, now: Date) async throws -> Bool {
        try await database.withConnection { sql in
            let rows = try await sql.raw(
                """
                UPDATE recovery_codes SET used_at = \(bind: now.epochMilliseconds)
                WHERE user_id = \(bind: userID) AND code_hash = \(bind: RecoveryCodes.hash(code)) AND used_at IS NULL
                RETURNING id
                """
            ).all()
            return !rows.isEmpty
        }
    }

    public func remaining(userID: Int64) async throws -> Int {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT count(*) AS n FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL"
            )
            .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }
}
