import Foundation
import KilpiCore
import SQLKit

/// Setting up, replacing and backing up the second factor.
///
/// The rule: the first second factor of an account whose role requires one is set up only in the session that
/// its enrolment (or setup) link started (`StaffSession.mayEnrol`); a later password-only sign-in of such an
/// account cannot enrol, so whoever learns a pending admin's password first gains nothing (an admin reissues the
/// link, which puts the account back to pending). Any other change (a first factor from a signed-in session,
/// replacing a factor, renewing recovery codes) needs a current code from the app or the password, so a session
/// left open is not enough to take the account over.
extension AccountService {
    /// What the person shows for a second-factor change.
    public struct FactorProof: Sendable, Equatable {
        /// The session was started by an enrolment or setup link.
        public var fromEnrolmentLink: Bool
        /// The form's `current` field: a code from their authenticator app, or their password.
        public var current: String?

        public init(fromEnrolmentLink: Bool = false, current: String? = nil) {
            self.fromEnrolmentLink = fromEnrolmentLink
            self.current = current
        }
    }

    /// How a `current` value checked out: a TOTP time step (used up in the change's transaction) or the password.
    enum CurrentProof: Sendable {
        case code(step: Int64)
        case password

        var label: String {
            switch self {
            case .code: "current code"
            case .password: "password"
            }
        }
    }

    /// Turns the second factor on (or replaces it) once the person proves their app shows the right code, and
    /// returns fresh recovery codes. Refusals are audited; a refused change changes nothing.
    public func confirmTOTP(
        userID: Int64,
        secret: String,
        code: String,
        proof: FactorProof,
        ip: String
    ) async throws -> [String] {
        let now = now()
        guard let user = try await store.users.find(id: userID), user.status == .active else {
            throw AccountError(.notFound)
        }
        if !user.totpEnabled, user.role.requiresSecondFactor, !proof.fromEnrolmentLink {
            try await refuse(user, .accountSecondFactorChangeRefused, "not the enrolment link's session", ip)
            throw AccountError(.enrolmentLinkRequired)
        }
        // Outside the enrolment link's session every change shows the current code or the password, a first factor
        // too: a session left open must not let someone else tie the account to their own authenticator.
        let needsCurrent = user.totpEnabled || !proof.fromEnrolmentLink
        let current: CurrentProof? = needsCurrent ? try await checkCurrent(user, proof.current, ip: ip, now: now) : nil
        if needsCurrent, current == nil {
            try await refuse(user, .accountSecondFactorChangeRefused, "wrong current code or password", ip)
            throw AccountError(.wrongCurrentProof)
        }
        guard let bytes = Base32.decode(secret), bytes.count >= 16, let step = TOTP(secret: bytes).match(code, at: now)
        else {
            throw AccountError(.wrongCode)
        }
        let store = self.store
        let replacing = user.totpEnabled
        let how = current?.label ?? (proof.fromEnrolmentLink ? "enrolment link" : "signed-in session")
        let codes: [String]
        do {
            codes = try await store.database.transaction { sql in
                if case .code(let old) = current {
                    guard try await store.users.consumeTOTPStep(userID: userID, step: old, in: sql) else {
                        throw AccountError(.wrongCurrentProof)
                    }
                }
                try await store.users.setTOTP(userID: userID, secret: secret, enabled: true, now: now, in: sql)
                _ = try await store.users.consumeTOTPStep(userID: userID, step: step, in: sql)
                let codes = try await store.recoveryCodes.regenerate(userID: userID, in: sql)
                try await store.audit.append(
                    AuditEvent(
                        actor: "user:\(userID)",
                        action: replacing ? .accountSecondFactorReplaced : .accountSecondFactorEnabled,
                        target: "user:\(userID)",
                        ip: ip,
                        detail: "shown: \(how)"
                    ),
                    now: now,
                    in: sql
                )
                return codes
            }
        } catch let error as AccountError where error.code == .wrongCurrentProof {
            try await refuse(user, .accountSecondFactorChangeRefused, "replayed current code", ip)
            throw error
        }
        if !replacing { try await store.users.recordSuccessfulLogin(userID: userID, now: now) }
        return codes
    }

    /// Ten new recovery codes in place of the old ones; `current` is a code from the app or the password.
    public func regenerateRecoveryCodes(userID: Int64, current: String, ip: String) async throws -> [String] {
        let now = now()
        guard let user = try await store.users.find(id: userID), user.status == .active else {
            throw AccountError(.notFound)
        }
        guard let proof = try await checkCurrent(user, current, ip: ip, now: now) else {
            try await refuse(user, .accountRecoveryCodesRefused, "wrong current code or password", ip)
            throw AccountError(.wrongCurrentProof)
        }
        let store = self.store
        do {
            return try await store.database.transaction { sql in
                if case .code(let step) = proof {
                    guard try await store.users.consumeTOTPStep(userID: userID, step: step, in: sql) else {
                        throw AccountError(.wrongCurrentProof)
                    }
                }
                let codes = try await store.recoveryCodes.regenerate(userID: userID, in: sql)
                try await store.audit.append(
                    AuditEvent(
                        actor: "user:\(userID)",
                        action: .accountRecoveryCodesRegenerated,
                        target: "user:\(userID)",
                        ip: ip,
                        detail: "shown: \(proof.label)"
                    ),
                    now: now,
                    in: sql
                )
                return codes
            }
        } catch let error as AccountError where error.code == .wrongCurrentProof {
            try await refuse(user, .accountRecoveryCodesRefused, "replayed current code", ip)
            throw error
        }
    }

    /// Checks a `current` field: six digits are tried as a code from the account's app, anything else as the
    /// password (passwords are longer than six characters, so the two cannot be confused). Like a sign-in, the
    /// attempt is counted against the source and the account before anything is checked (a stolen session must
    /// not guess the password or a code without limit), and the password is checked on the hashing threads.
    func checkCurrent(_ user: StaffUser, _ current: String?, ip: String, now: Date) async throws -> CurrentProof? {
        guard let current, !current.isEmpty else { return nil }
        return try await countedCheck(userID: user.id, ip: ip, now: now) {
            let digits = current.filter { !$0.isWhitespace }
            if digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                guard user.totpEnabled, let secret = user.totpSecret.flatMap(Base32.decode),
                    let step = TOTP(secret: secret).match(digits, at: now)
                else { return nil }
                return .code(step: step)
            }
            guard let hash = user.passwordHash, try await verifyOnPool(current, against: hash) else { return nil }
            return .password
        }
    }

    /// Runs `check` only when the attempt got a slot from its source and its account (refused otherwise, as a
    /// wrong answer); a passed check gives the slots back.
    func countedCheck<T: Sendable>(
        userID: Int64,
        ip: String,
        now: Date,
        _ check: () async throws -> T?
    ) async throws -> T? {
        let source = IPAddress.throttleKey(for: ip)
        guard
            let slot = try await store.loginThrottle.takeSourceSlot(
                source: source,
                now: now,
                limit: limits.sourceAttempts,
                window: limits.sourceWindow
            ),
            try await store.loginThrottle.takeAccountSlot(userID: userID, source: source, now: now, limits: limits)
                != nil
        else { return nil }
        guard let result = try await check() else { return nil }
        try await store.loginThrottle.giveBack(slot)
        try await store.loginThrottle.clear(userID: userID, source: source)
        try await store.users.resetFailedLogins(userID: userID, now: now)
        return result
    }

    /// `hasher.verify` on the hashing threads; throws `PasswordHashingPool.Busy` when they are full.
    func verifyOnPool(_ password: String, against hash: String) async throws -> Bool {
        guard let admission = hashing.admit() else { throw PasswordHashingPool.Busy(retryAfter: hashing.retryAfter) }
        return await hasher.verify(password, against: hash, on: admission)
    }

    /// Audits a refused account change (nothing else was written).
    func refuse(_ user: StaffUser, _ action: AuditAction, _ detail: String, _ ip: String) async throws {
        try await store.audit.append(
            AuditEvent(actor: "user:\(user.id)", action: action, target: "user:\(user.id)", ip: ip, detail: detail),
            now: now()
        )
    }
}
