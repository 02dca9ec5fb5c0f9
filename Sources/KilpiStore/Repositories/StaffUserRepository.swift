import Foundation
import KilpiCore
import SQLKit

/// Staff accounts.
public protocol StaffUserRepository: Sendable {
    func create(
        email: String,
        displayName: String,
        role: Role,
        status: StaffUser.Status,
        now: Date
    ) async throws -> StaffUser
    func find(id: Int64) async throws -> StaffUser?
    func find(email: String) async throws -> StaffUser?
    func all() async throws -> [StaffUser]
    func count(role: Role?, status: StaffUser.Status?) async throws -> Int
    func setPassword(userID: Int64, hash: String, now: Date) async throws
    func setStatus(userID: Int64, status: StaffUser.Status, now: Date) async throws
    func setTOTP(userID: Int64, secret: String?, enabled: Bool, now: Date) async throws
    // Inside the caller's transaction (StaffUserRepository+Transactions.swift), so that a change and its audit
    // entry commit together.
    func find(id: Int64, in sql: any SQLDatabase) async throws -> StaffUser?
    func findLocked(id: Int64, in sql: any SQLDatabase) async throws -> StaffUser?
    func lockActiveAdmins(in sql: any SQLDatabase) async throws -> Int
    func create(
        email: String,
        displayName: String,
        role: Role,
        status: StaffUser.Status,
        now: Date,
        in sql: any SQLDatabase
    ) async throws -> StaffUser
    /// `hash` nil clears the password (an enrolment link sets a new one).
    func setPassword(userID: Int64, hash: String?, now: Date, in sql: any SQLDatabase) async throws
    func setStatus(userID: Int64, status: StaffUser.Status, now: Date, in sql: any SQLDatabase) async throws
    func setRole(userID: Int64, role: Role, now: Date, in sql: any SQLDatabase) async throws
    /// The secret is sealed in the vault before it is written.
    func setTOTP(userID: Int64, secret: String?, enabled: Bool, now: Date, in sql: any SQLDatabase) async throws
    func consumeTOTPStep(userID: Int64, step: Int64, in sql: any SQLDatabase) async throws -> Bool
    /// Records `step` as used when it is newer than the last used one; false means a replayed code.
    func consumeTOTPStep(userID: Int64, step: Int64) async throws -> Bool
    // Failed sign-ins are counted before the check, by `LoginThrottleRepository.takeAccountSlot`.
    /// Ends the run of failures across all sources (`failed_logins`, the account-wide lock) and records the time.
    func recordSuccessfulLogin(userID: Int64, now: Date) async throws
    /// The account-wide failure count back to zero after a passed re-check (password change, factor change),
    /// without counting it as a sign-in.
    func resetFailedLogins(userID: Int64, now: Date) async throws
}

public struct SQLStaffUserRepository: StaffUserRepository {
    let database: Database
    /// Seals and opens TOTP secrets (see `TOTPSecretSealing`).
    let vault: Vault

    public init(database: Database, vault: Vault) {
        self.database = database
        self.vault = vault
    }

    static let columns = """
        id, email, display_name, role, status, password_hash, totp_secret, totp_enabled, totp_last_step,
        failed_logins, locked_until, last_login_at, created_at
        """

    public func create(
        email: String,
        displayName: String,
        role: Role,
        status: StaffUser.Status,
        now: Date
    ) async throws -> StaffUser {
        let email = StaffUser.normalizeEmail(email)
        let id = try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO staff_users (email, display_name, role, status, created_at, updated_at)
                VALUES (\(bind: email), \(bind: displayName), \(bind: role.rawValue), \(bind: status.rawValue),
                        \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                RETURNING id
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }
        }
        guard let id, let user = try await find(id: id) else { throw DatabaseError.notFound("user was not created") }
        return user
    }

    public func find(id: Int64) async throws -> StaffUser? {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM staff_users WHERE id = \(bind: id)")
                .first().map(decode)
        }
    }

    public func find(email: String) async throws -> StaffUser? {
        let email = StaffUser.normalizeEmail(email)
        return try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM staff_users WHERE email = \(bind: email)")
                .first().map(decode)
        }
    }

    public func all() async throws -> [StaffUser] {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM staff_users ORDER BY email")
                .all().map(decode)
        }
    }

    public func count(role: Role?, status: StaffUser.Status?) async throws -> Int {
        try await database.read { sql in
            var query = SQLQueryString("SELECT count(*) AS n FROM staff_users WHERE 1 = 1")
            if let role {
                query.appendInterpolation(unsafeRaw: " AND role = ")
                query.appendInterpolation(bind: role.rawValue)
            }
            if let status {
                query.appendInterpolation(unsafeRaw: " AND status = ")
                query.appendInterpolation(bind: status.rawValue)
            }
            return try await sql.raw(query).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    public func setPassword(userID: Int64, hash: String, now: Date) async throws {
        try await update(
            userID,
            now,
            "password_hash = \(bind: hash), password_changed_at = \(bind: now.epochMilliseconds)"
        )
    }

    public func setStatus(userID: Int64, status: StaffUser.Status, now: Date) async throws {
        try await update(userID, now, "status = \(bind: status.rawValue)")
    }

    public func setTOTP(userID: Int64, secret: String?, enabled: Bool, now: Date) async throws {
        try await database.withConnection { sql in
            try await setTOTP(userID: userID, secret: secret, enabled: enabled, now: now, in: sql)
        }
    }

    public func consumeTOTPStep(userID: Int64, step: Int64) async throws -> Bool {
        // One conditional UPDATE, so two concurrent logins with the same code cannot both win.
        try await database.withConnection { sql in
            let rows = try await sql.raw(
                """
                UPDATE staff_users SET totp_last_step = \(bind: step)
                WHERE id = \(bind: userID) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
                RETURNING id
                """
            ).all()
            return !rows.isEmpty
        }
    }

    public func recordSuccessfulLogin(userID: Int64, now: Date) async throws {
        try await update(
            userID,
            now,
            "failed_logins = 0, locked_until = NULL, last_login_at = \(bind: now.epochMilliseconds)"
        )
    }

    public func resetFailedLogins(userID: Int64, now: Date) async throws {
        try await update(userID, now, "failed_logins = 0, locked_until = NULL")
    }

    private func update(_ userID: Int64, _ now: Date, _ assignments: SQLQueryString) async throws {
        try await database.withConnection { sql in
            let full: SQLQueryString =
                "UPDATE staff_users SET " + assignments
                + ", updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: userID)"
            try await sql.raw(full).run()
        }
    }

    func decode(_ row: any SQLRow) throws -> StaffUser {
        let id = try row.decode(column: "id", as: Int64.self)
        return StaffUser(
            id: id,
            email: try row.decode(column: "email", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
            status: StaffUser.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .disabled,
            passwordHash: try row.decode(column: "password_hash", as: String?.self),
            totpSecret: try TOTPSecretSealing.open(
                try row.decode(column: "totp_secret", as: String?.self),
                userID: id,
                vault: vault
            ),
            totpEnabled: try row.decode(column: "totp_enabled", as: Bool.self),
            totpLastStep: try row.decode(column: "totp_last_step", as: Int64?.self),
            failedLogins: try row.decode(column: "failed_logins", as: Int.self),
            lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            lastLoginAt: try row.decode(column: "last_login_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self))
        )
    }
}
