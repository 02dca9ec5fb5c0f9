import Foundation
import KilpiCore
import SQLKit

/// Staff account rules over the repositories: sign-in with throttling, second factor, enrolment, first-admin
/// setup. The web console and the command line share it, and it writes the audit entries itself so no caller
/// can forget one.
public struct AccountService: Sendable {
    public let store: Store
    public let hasher: PasswordHasher
    public let policy: PasswordPolicy
    public let now: Now

    /// Failures allowed before the account-level delay starts.
    public static let freeFailures = 5
    public static let maximumLockout: TimeInterval = 15 * 60
    public static let setupLinkLifetime: TimeInterval = 60 * 60
    public static let enrolmentLinkLifetime: TimeInterval = 72 * 60 * 60
    public static let totpIssuer = "Kilpi"

    public init(
        store: Store,
        hasher: PasswordHasher = .standard,
        policy: PasswordPolicy = .standard,
        now: @escaping Now = { Date() }
    ) {
        self.store = store
        self.hasher = hasher
        self.policy = policy
        self.now = now
    }

    // MARK: - Sign-in

    public enum LoginOutcome: Sendable, Equatable {
        /// Password accepted; `stage` says whether a second factor is still owed.
        case accepted(StaffUser, StaffSession.Stage)
        /// Wrong email or password, a disabled account, or a locked one: callers show one generic message.
        case rejected
    }

    /// The delay after the n-th consecutive failure: none for the first five, then 30 s doubling to 15 min.
    public static func lockout(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        let exponent = min(failures - freeFailures, 10)
        return min(30 * pow(2, Double(exponent)), maximumLockout)
    }

    public func login(email: String, password: String, ip: String) async throws -> LoginOutcome {
        let now = now()
        guard let user = try await store.users.find(email: email), user.status == .active, let hash = user.passwordHash
        else {
            // Spend the same time as a real check, so response time does not reveal which emails exist.
            _ = hasher.verify(password, against: Self.timingDummy(hasher))
            try await store.audit.append(
                AuditEvent(
                    actor: "anonymous",
                    action: "session.login_failed",
                    target: "",
                    ip: ip,
                    detail: "unknown or inactive account"
                ),
                now: now
            )
            return .rejected
        }
        if let lockedUntil = user.lockedUntil, lockedUntil > now {
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(user.id)",
                    action: "session.login_throttled",
                    target: "user:\(user.id)",
                    ip: ip
                ),
                now: now
            )
            return .rejected
        }
        guard hasher.verify(password, against: hash) else {
            let failures = try await store.users.recordFailedLogin(
                userID: user.id,
                now: now,
                lockout: Self.lockout(afterFailures:)
            )
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(user.id)",
                    action: "session.login_failed",
                    target: "user:\(user.id)",
                    ip: ip,
                    detail: "wrong password (\(failures) in a row)"
                ),
                now: now
            )
            return .rejected
        }
        if hasher.needsRehash(hash), let upgraded = try? hasher.hash(password) {
            try await store.users.setPassword(userID: user.id, hash: upgraded, now: now)
        }
        let stage: StaffSession.Stage =
            user.totpEnabled ? .needsSecondFactor : (user.role.requiresSecondFactor ? .needsEnrolment : .complete)
        if stage == .complete {
            try await store.users.recordSuccessfulLogin(userID: user.id, now: now)
            try await store.audit.append(
                AuditEvent(actor: "user:\(user.id)", action: "session.login", target: "user:\(user.id)", ip: ip),
                now: now
            )
        }
        return .accepted(user, stage)
    }

    /// Checks a TOTP code (never the same time step twice) or, failing that, a recovery code (each usable once).
    public func verifySecondFactor(userID: Int64, code: String, ip: String) async throws -> Bool {
        let now = now()
        guard let user = try await store.users.find(id: userID), user.status == .active else { return false }
        if let lockedUntil = user.lockedUntil, lockedUntil > now { return false }
        var accepted = false
        var how = "totp"
        if user.totpEnabled, let secret = user.totpSecret.flatMap(Base32.decode),
            let step = TOTP(secret: secret).match(code, at: now)
        {
            accepted = try await store.users.consumeTOTPStep(userID: userID, step: step)
            if !accepted { how = "replayed totp code" }
        }
        if !accepted, code.filter({ $0.isLetter }).count > 0 || code.count > 8 {
            accepted = try await store.recoveryCodes.consume(
                userID: userID,
                code: RecoveryCodes.normalize(code),
                now: now
            )
            how = "recovery code"
        }
        if accepted {
            try await store.users.recordSuccessfulLogin(userID: userID, now: now)
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(userID)",
                    action: "session.login",
                    target: "user:\(userID)",
                    ip: ip,
                    detail: "second factor: \(how)"
                ),
                now: now
            )
        } else {
            _ = try await store.users.recordFailedLogin(userID: userID, now: now, lockout: Self.lockout(afterFailures:))
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(userID)",
                    action: "session.second_factor_failed",
                    target: "user:\(userID)",
                    ip: ip,
                    detail: how
                ),
                now: now
            )
        }
        return accepted
    }

    // MARK: - Second factor enrolment

    /// A fresh secret (base32) to show with its `otpauth://` URI; nothing is stored until confirmed.
    public func newTOTPSecret() -> String { Base32.encode(TOTP.generateSecret()) }

    public func provisioningURI(secret: String, email: String) -> String {
        TOTP(secret: Base32.decode(secret) ?? []).provisioningURI(account: email, issuer: Self.totpIssuer)
    }

    /// Turns the second factor on once the person proves their app shows the right code; returns recovery codes.
    public func confirmTOTP(userID: Int64, secret: String, code: String, ip: String) async throws -> [String] {
        let now = now()
        guard let bytes = Base32.decode(secret), bytes.count >= 16, let step = TOTP(secret: bytes).match(code, at: now)
        else {
            throw AccountError(.wrongCode)
        }
        try await store.users.setTOTP(userID: userID, secret: secret, enabled: true, now: now)
        _ = try await store.users.consumeTOTPStep(userID: userID, step: step)
        let codes = try await store.recoveryCodes.regenerate(userID: userID)
        try await store.users.recordSuccessfulLogin(userID: userID, now: now)
        try await store.audit.append(
            AuditEvent(
                actor: "user:\(userID)",
                action: "account.second_factor_enabled",
                target: "user:\(userID)",
                ip: ip
            ),
            now: now
        )
        return codes
    }

    public func regenerateRecoveryCodes(userID: Int64, ip: String) async throws -> [String] {
        let codes = try await store.recoveryCodes.regenerate(userID: userID)
        try await store.audit.append(
            AuditEvent(
                actor: "user:\(userID)",
                action: "account.recovery_codes_regenerated",
                target: "user:\(userID)",
                ip: ip
            ),
            now: now()
        )
        return codes
    }

    // MARK: - Accounts

    /// Adds a pending staff member and returns the enrolment token for their one-time link.
    public func addUser(
        email: String,
        displayName: String,
        role: Role,
        actor: String,
        ip: String
    ) async throws -> (user: StaffUser, enrolmentToken: String) {
        let email = StaffUser.normalizeEmail(email)
        guard StaffUser.isPlausibleEmail(email) else { throw AccountError(.invalidEmail) }
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw AccountError(.invalidName) }
        let now = now()
        if try await store.users.find(email: email) != nil { throw AccountError(.emailTaken) }
        let user: StaffUser
        do {
            user = try await store.users.create(email: email, displayName: name, role: role, status: .pending, now: now)
        } catch let error as DatabaseError where error.isConflict {
            throw AccountError(.emailTaken)
        }
        let token = try await store.links.create(
            purpose: .enrol,
            userID: user.id,
            validFor: Self.enrolmentLinkLifetime,
            now: now
        )
        try await store.audit.append(
            AuditEvent(
                actor: actor,
                action: "user.create",
                target: "user:\(user.id)",
                ip: ip,
                detail: "role \(role.rawValue)"
            ),
            now: now
        )
        return (user, token)
    }

    /// A new enrolment link for a pending account (the old one stays valid until it expires).
    public func reissueEnrolment(userID: Int64, actor: String, ip: String) async throws -> String {
        guard let user = try await store.users.find(id: userID), user.status == .pending else {
            throw AccountError(.notFound)
        }
        let token = try await store.links.create(
            purpose: .enrol,
            userID: user.id,
            validFor: Self.enrolmentLinkLifetime,
            now: now()
        )
        try await store.audit.append(
            AuditEvent(actor: actor, action: "user.enrolment_reissued", target: "user:\(user.id)", ip: ip),
            now: now()
        )
        return token
    }

    /// Sets the first password of a pending account from its enrolment link.
    public func completeEnrolment(token: String, password: String, ip: String) async throws -> StaffUser {
        let now = now()
        guard let link = try await store.links.peek(token: token, purpose: .enrol, now: now), let userID = link.userID,
            let user = try await store.users.find(id: userID), user.status == .pending
        else { throw AccountError(.linkInvalid) }
        let problems = policy.problems(
            in: password,
            hasSecondFactor: user.role.requiresSecondFactor,
            accountEmail: user.email
        )
        guard problems.isEmpty else { throw AccountError(.weakPassword(problems)) }
        let hash = try hasher.hash(password)
        // Consume only after the password passed, so a typo does not burn the link.
        guard try await store.links.consume(token: token, purpose: .enrol, now: now) != nil else {
            throw AccountError(.linkInvalid)
        }
        try await store.users.setPassword(userID: userID, hash: hash, now: now)
        try await store.users.setStatus(userID: userID, status: .active, now: now)
        try await store.audit.append(
            AuditEvent(actor: "user:\(userID)", action: "user.enrolled", target: "user:\(userID)", ip: ip),
            now: now
        )
        return try await store.users.find(id: userID) ?? user
    }

    /// Creates the first admin from the setup link. Refused once any admin exists.
    public func completeSetup(
        token: String,
        email: String,
        displayName: String,
        password: String,
        ip: String
    ) async throws -> StaffUser {
        let now = now()
        guard try await store.links.peek(token: token, purpose: .setup, now: now) != nil else {
            throw AccountError(.linkInvalid)
        }
        guard try await store.users.count(role: .admin, status: nil) == 0 else { throw AccountError(.adminExists) }
        let email = StaffUser.normalizeEmail(email)
        guard StaffUser.isPlausibleEmail(email) else { throw AccountError(.invalidEmail) }
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw AccountError(.invalidName) }
        let problems = policy.problems(in: password, hasSecondFactor: true, accountEmail: email)
        guard problems.isEmpty else { throw AccountError(.weakPassword(problems)) }
        let hash = try hasher.hash(password)
        guard try await store.links.consume(token: token, purpose: .setup, now: now) != nil else {
            throw AccountError(.linkInvalid)
        }
        let user = try await store.users.create(
            email: email,
            displayName: name,
            role: .admin,
            status: .active,
            now: now
        )
        try await store.users.setPassword(userID: user.id, hash: hash, now: now)
        try await store.audit.append(
            AuditEvent(actor: "user:\(user.id)", action: "setup.first_admin", target: "user:\(user.id)", ip: ip),
            now: now
        )
        return try await store.users.find(id: user.id) ?? user
    }

    /// A setup link when no admin exists yet (printed by `kilpi serve`), else nil.
    public func setupLinkIfNeeded() async throws -> String? {
        guard try await store.users.count(role: .admin, status: nil) == 0 else { return nil }
        let token = try await store.links.create(
            purpose: .setup,
            userID: nil,
            validFor: Self.setupLinkLifetime,
            now: now()
        )
        try await store.audit.append(AuditEvent(actor: "system", action: "setup.link_issued"), now: now())
        return token
    }

    public func changePassword(userID: Int64, current: String, new: String, ip: String) async throws {
        guard let user = try await store.users.find(id: userID), let hash = user.passwordHash,
            hasher.verify(current, against: hash)
        else { throw AccountError(.wrongCode) }
        let problems = policy.problems(
            in: new,
            hasSecondFactor: user.totpEnabled || user.role.requiresSecondFactor,
            accountEmail: user.email
        )
        guard problems.isEmpty else { throw AccountError(.weakPassword(problems)) }
        try await store.users.setPassword(userID: userID, hash: try hasher.hash(new), now: now())
        try await store.audit.append(
            AuditEvent(actor: "user:\(userID)", action: "account.password_changed", target: "user:\(userID)", ip: ip),
            now: now()
        )
    }

    public func setRole(userID: Int64, role: Role, actor: String, ip: String) async throws {
        guard let user = try await store.users.find(id: userID) else { throw AccountError(.notFound) }
        if user.role == .admin, role != .admin, try await activeAdminCount() <= 1, user.status == .active {
            throw AccountError(.lastAdmin)
        }
        try await store.users.setRole(userID: userID, role: role, now: now())
        // A role change takes effect at once: existing sessions carry the old trust.
        try await store.sessions.deleteAll(userID: userID)
        try await store.audit.append(
            AuditEvent(
                actor: actor,
                action: "user.role_changed",
                target: "user:\(userID)",
                ip: ip,
                detail: "\(user.role.rawValue) -> \(role.rawValue)"
            ),
            now: now()
        )
    }

    public func setDisabled(userID: Int64, disabled: Bool, actor: String, ip: String) async throws {
        guard let user = try await store.users.find(id: userID) else { throw AccountError(.notFound) }
        if disabled, user.role == .admin, user.status == .active, try await activeAdminCount() <= 1 {
            throw AccountError(.lastAdmin)
        }
        let status: StaffUser.Status = disabled ? .disabled : (user.passwordHash == nil ? .pending : .active)
        try await store.users.setStatus(userID: userID, status: status, now: now())
        if disabled { try await store.sessions.deleteAll(userID: userID) }
        try await store.audit.append(
            AuditEvent(
                actor: actor,
                action: disabled ? "user.disable" : "user.enable",
                target: "user:\(userID)",
                ip: ip
            ),
            now: now()
        )
    }

    private func activeAdminCount() async throws -> Int {
        try await store.users.count(role: .admin, status: .active)
    }

    private static func timingDummy(_ hasher: PasswordHasher) -> String {
        "$scrypt$ln=\(hasher.logN),r=\(hasher.r),p=\(hasher.p)$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    }
}
