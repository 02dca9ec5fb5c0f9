import Foundation
import KilpiCore
import SQLKit

/// The account changes that `AccountService` makes inside its own transactions (with the audit entry).
extension SQLStaffUserRepository {
    public func find(id: Int64, in sql: any SQLDatabase) async throws -> StaffUser? {
        try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM staff_users WHERE id = \(bind: id)")
            .first().map(decode)
    }

    /// How many active admins there are, holding their rows until the transaction ends (see `findLocked`), so two
    /// admins demoting or disabling each other at once cannot both pass a last-admin check.
    public func lockActiveAdmins(in sql: any SQLDatabase) async throws -> Int {
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            """
            SELECT id FROM staff_users WHERE role = \(bind: Role.admin.rawValue)
            AND status = \(bind: StaffUser.Status.active.rawValue)\(unsafeRaw: lock)
            """
        ).all().count
    }

    /// `find`, holding the row until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's transactions are
    /// serialised already), so a change that depends on the account's role or status cannot commit around a
    /// concurrent role change or disabling.
    public func findLocked(id: Int64, in sql: any SQLDatabase) async throws -> StaffUser? {
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM staff_users WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decode)
    }

    public func create(
        email: String,
        displayName: String,
        role: Role,
        status: StaffUser.Status,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> StaffUser {
        let email = StaffUser.normalizeEmail(email)
        guard
            let user = try await sql.raw(
                """
                INSERT INTO staff_users (email, display_name, role, status, created_at, updated_at)
                VALUES (\(bind: email), \(bind: displayName), \(bind: role.rawValue), \(bind: status.rawValue),
                        \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first().map(decode)
        else { throw DatabaseError.notFound("user was not created") }
        return user
    }

    public func setPassword(userID: Int64, hash: String?, now: Date, in sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE staff_users SET password_hash = \(bind: hash), password_changed_at = \(bind: now.epochMilliseconds),
                   updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: userID)
            """
        ).run()
    }

    public func setRole(userID: Int64, role: Role, now: Date, in sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE staff_users SET role = \(bind: role.rawValue), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: userID)
            """
        ).run()
    }

    public func setStatus(
        userID: Int64,
        status: StaffUser.Status,
        now: Date,
        in sql: any SQLDatabase
    ) async throws {
        try await sql.raw(
            """
            UPDATE staff_users SET status = \(bind: status.rawValue), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: userID)
            """
        ).run()
    }

    public func setTOTP(
        userID: Int64,
        secret: String?,
        enabled: Bool,
        now: Date,
        in sql: any SQLDatabase
    ) async throws {
        let sealed = try TOTPSecretSealing.seal(secret, userID: userID, vault: vault)
        try await sql.raw(
            """
            UPDATE staff_users SET totp_secret = \(bind: sealed), totp_enabled = \(bind: enabled),
                   totp_last_step = NULL, updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: userID)
            """
        ).run()
    }

    public func consumeTOTPStep(userID: Int64, step: Int64, in sql: any SQLDatabase) async throws -> Bool {
        // One conditional UPDATE, so two concurrent uses of the same code cannot both win.
        !(try await sql.raw(
            """
            UPDATE staff_users SET totp_last_step = \(bind: step)
            WHERE id = \(bind: userID) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
            RETURNING id
            """
        ).all().isEmpty)
    }
}
