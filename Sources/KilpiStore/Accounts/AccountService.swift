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
    /// Attempts per source, per account and source, and per account (see `SignInLimits` for the defaults).
    public let limits: SignInLimits
    /// Where scrypt runs: dedicated threads with a cap, never the cooperative pool.
    public let hashing: PasswordHashingPool

    /// The failure (from one source) whose attempt first locks the account from that source.
    public static let freeFailures = SignInLimits.standard.perSource.startsAt
    public static let maximumLockout: TimeInterval = SignInLimits.standard.perSource.delays.max() ?? 0
    public static let setupLinkLifetime: TimeInterval = 60 * 60
    public static let enrolmentLinkLifetime: TimeInterval = 72 * 60 * 60
    public static let totpIssuer = "Kilpi"

    public init(
        store: Store,
        hasher: PasswordHasher = .standard,
        policy: PasswordPolicy = .standard,
        now: @escaping Now = { Date() },
        limits: SignInLimits = .standard,
        hashing: PasswordHashingPool = .standard()
    ) {
        self.store = store
        self.hasher = hasher
        self.policy = policy
        self.now = now
        self.limits = limits
        self.hashing = hashing
    }

    // MARK: - Sign-in

    public enum LoginOutcome: Sendable, Equatable {
        /// Password accepted; `stage` says whether a second factor is still owed.
        case accepted(StaffUser, StaffSession.Stage)
        /// Wrong email or password, a disabled account, or a locked one: callers show one generic message.
        case rejected
        /// Too many attempts from this source (address or IPv6 /64), whichever accounts they named.
        case throttled
        /// Password hashing is at capacity: nothing was checked or counted; retry after `retryAfter` seconds.
        case busy(retryAfter: Int)
    }

    public enum SecondFactorOutcome: Sendable, Equatable {
        case accepted
        /// A wrong or replayed code, or the account is locked from this source: one generic message.
        case rejected
        /// Too many attempts from this source.
        case throttled
    }

    /// The delay after the n-th consecutive failure from one source: none for the first four, then 30 s
    /// doubling to 15 min.
    public static func lockout(afterFailures failures: Int) -> TimeInterval? {
        SignInLimits.standard.perSource.delay(afterFailures: failures)
    }

    /// Checks a password. The attempt takes its slots first (source, then account and source plus the
    /// account's ceiling, see `LoginThrottleRepository`), so parallel guesses get no more checks than the limits
    /// allow; only an attempt that got its slots has its password checked. Every path that answers "no" spends
    /// one scrypt verification, so response time tells neither whether the email exists nor whether the account
    /// is locked. `ip` is the client's address; attempts count under its source key (IPv6 per /64).
    public func login(email: String, password: String, ip: String) async throws -> LoginOutcome {
        let now = now()
        // A place on the hashing threads first: when they are full, the attempt is refused before it counts.
        guard let admission = hashing.admit() else { return .busy(retryAfter: hashing.retryAfter) }
        let source = IPAddress.throttleKey(for: ip)
        guard
            let slot = try await store.loginThrottle.takeSourceSlot(
                source: source,
                now: now,
                limit: limits.sourceAttempts,
                window: limits.sourceWindow
            )
        else {
            _ = await hasher.verify(password, against: hasher.timingDummy, on: admission)
            try await store.audit.append(
                AuditEvent(actor: "anonymous", action: .sessionLoginThrottled, target: "ip", ip: ip),
                now: now
            )
            return .throttled
        }
        guard let user = try await store.users.find(email: email), user.status == .active, let hash = user.passwordHash
        else {
            // Spend the same time as a real check, so response time does not reveal which emails exist.
            _ = await hasher.verify(password, against: hasher.timingDummy, on: admission)
            try await store.audit.append(
                AuditEvent(
                    actor: "anonymous",
                    action: .sessionLoginFailed,
                    target: "",
                    ip: ip,
                    detail: "unknown or inactive account"
                ),
                now: now
            )
            return .rejected
        }
        guard
            let counted = try await store.loginThrottle.takeAccountSlot(
                userID: user.id,
                source: source,
                now: now,
                limits: limits
            )
        else {
            _ = await hasher.verify(password, against: hasher.timingDummy, on: admission)
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(user.id)",
                    action: .sessionLoginThrottled,
                    target: "user:\(user.id)",
                    ip: ip
                ),
                now: now
            )
            return .rejected
        }
        guard await hasher.verify(password, against: hash, on: admission) else {
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(user.id)",
                    action: .sessionLoginFailed,
                    target: "user:\(user.id)",
                    ip: ip,
                    detail: "wrong password (\(counted.fromSource) in a row from this source)"
                ),
                now: now
            )
            return .rejected
        }
        // The right password: its source slot is given back. The account's count stays until the sign-in is
        // complete, so knowing the password does not reset the limit on guessing the second factor.
        try await store.loginThrottle.giveBack(slot)
        if hasher.needsRehash(hash), let upgraded = try? await hasher.hash(password, on: hashing) {
            try await store.users.setPassword(userID: user.id, hash: upgraded, now: now)
        }
        let stage: StaffSession.Stage =
            user.totpEnabled ? .needsSecondFactor : (user.role.requiresSecondFactor ? .needsEnrolment : .complete)
        if stage == .complete {
            try await store.loginThrottle.clear(userID: user.id, source: source)
            try await store.users.recordSuccessfulLogin(userID: user.id, now: now)
            try await store.audit.append(
                AuditEvent(actor: "user:\(user.id)", action: .sessionLogin, target: "user:\(user.id)", ip: ip),
                now: now
            )
        }
        return .accepted(user, stage)
    }

    /// Checks a TOTP code (never the same time step twice) or, failing that, a recovery code (each usable once).
    /// Like `login`, the attempt takes its slots before the code is looked at.
    public func verifySecondFactor(userID: Int64, code: String, ip: String) async throws -> SecondFactorOutcome {
        let now = now()
        guard let user = try await store.users.find(id: userID), user.status == .active else { return .rejected }
        let source = IPAddress.throttleKey(for: ip)
        guard
            let slot = try await store.loginThrottle.takeSourceSlot(
                source: source,
                now: now,
                limit: limits.sourceAttempts,
                window: limits.sourceWindow
            )
        else { return .throttled }
        guard
            try await store.loginThrottle.takeAccountSlot(userID: userID, source: source, now: now, limits: limits)
                != nil
        else { return .rejected }
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
            try await store.loginThrottle.giveBack(slot)
            try await store.loginThrottle.clear(userID: userID, source: source)
            try await store.users.recordSuccessfulLogin(userID: userID, now: now)
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(userID)",
                    action: .sessionLogin,
                    target: "user:\(userID)",
                    ip: ip,
                    detail: "second factor: \(how)"
                ),
                now: now
            )
        } else {
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(userID)",
                    action: .sessionSecondFactorFailed,
                    target: "user:\(userID)",
                    ip: ip,
                    detail: how
                ),
                now: now
            )
        }
        return accepted ? .accepted : .rejected
    }

    // MARK: - Second factor enrolment (confirming and recovery codes: AccountService+SecondFactor.swift)

    /// A fresh secret (base32) to show with its `otpauth://` URI; nothing is stored until confirmed.
    public func newTOTPSecret() -> String { Base32.encode(TOTP.generateSecret()) }

    public func provisioningURI(secret: String, email: String) -> String {
        TOTP(secret: Base32.decode(secret) ?? []).provisioningURI(account: email, issuer: Self.totpIssuer)
    }

    // MARK: - Accounts (adding, enrolment, passwords, disabling: AccountService+Accounts.swift)

    /// A setup link when no admin exists yet (printed by `kilpi serve`), else nil.
    public func setupLinkIfNeeded() async throws -> String? {
        guard try await store.users.count(role: .admin, status: nil) == 0 else { return nil }
        let token = try await store.links.create(
            purpose: .setup,
            userID: nil,
            validFor: Self.setupLinkLifetime,
            now: now()
        )
        try await store.audit.append(AuditEvent(actor: "system", action: .setupLinkIssued), now: now())
        return token
    }

    /// Changes a person's role. The change takes effect at once: their sessions end (they carry the old trust) and
    /// the API tokens they made with a role the new one does not cover are revoked, so a demoted person keeps no
    /// access through a token; all in one transaction with the audit entries.
    public func setRole(userID: Int64, role: Role, actor: String, ip: String) async throws {
        let now = now()
        let store = self.store
        try await store.database.transaction { sql in
            // Checked inside the transaction with the admins' rows held: two admins demoting each other at once
            // must not leave none.
            let admins = try await store.users.lockActiveAdmins(in: sql)
            guard let user = try await store.users.findLocked(id: userID, in: sql) else {
                throw AccountError(.notFound)
            }
            if user.role == .admin, role != .admin, user.status == .active, admins <= 1 {
                throw AccountError(.lastAdmin)
            }
            try await store.users.setRole(userID: userID, role: role, now: now, in: sql)
            let ended = try await store.sessions.deleteAll(userID: userID, in: sql)
            var revoked: [Int64] = []
            for tokenRole in Role.allCases where !AccessPolicy.covers(role, tokenRole) {
                revoked += try await store.tokens.revokeAll(
                    createdBy: "user:\(userID)",
                    role: tokenRole,
                    now: now,
                    in: sql
                )
            }
            try await auditRevoked(
                revoked,
                because: "its creator user:\(userID) became \(role.rawValue)",
                actor,
                ip,
                now,
                sql
            )
            try await store.audit.append(
                AuditEvent(
                    actor: actor,
                    action: .userRoleChanged,
                    target: "user:\(userID)",
                    ip: ip,
                    detail:
                        "\(user.role.rawValue) -> \(role.rawValue); \(ended) sessions ended, \(revoked.count) API tokens revoked"
                ),
                now: now,
                in: sql
            )
        }
    }

}
