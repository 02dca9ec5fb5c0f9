import Foundation
import KilpiCore
import SQLKit

/// Adding staff, their enrolment links, first-admin setup, passwords and disabling: each change, its audit
/// entry and what follows from it (ended sessions, spent links, revoked tokens) commit in one transaction.
extension AccountService {
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
        let store = self.store
        do {
            return try await store.database.transaction { sql in
                let user = try await store.users.create(
                    email: email,
                    displayName: name,
                    role: role,
                    status: .pending,
                    now: now,
                    in: sql
                )
                let token = try await store.links.create(
                    purpose: .enrol,
                    userID: user.id,
                    validFor: Self.enrolmentLinkLifetime,
                    now: now,
                    in: sql
                )
                try await store.audit.append(
                    AuditEvent(
                        actor: actor,
                        action: .userCreate,
                        target: "user:\(user.id)",
                        ip: ip,
                        detail: "role \(role.rawValue)"
                    ),
                    now: now,
                    in: sql
                )
                return (user, token)
            }
        } catch let error as DatabaseError where error.isConflict {
            throw AccountError(.emailTaken)
        }
    }

    /// Whether an admin may send this account a new enrolment link: it is pending, or its role requires a
    /// second factor that it never set up (it then goes back to pending, its password cleared).
    public static func mayReissueEnrolment(_ user: StaffUser) -> Bool {
        user.status == .pending || (user.status == .active && user.role.requiresSecondFactor && !user.totpEnabled)
    }

    /// A new enrolment link. Every earlier enrolment link of the account stops working, its sessions end, and an
    /// active account that still owes its first second factor goes back to pending with no password, so whoever
    /// knew the old password or held the old link gains nothing.
    public func reissueEnrolment(userID: Int64, actor: String, ip: String) async throws -> String {
        let now = now()
        guard let user = try await store.users.find(id: userID), Self.mayReissueEnrolment(user) else {
            throw AccountError(.notFound)
        }
        let store = self.store
        return try await store.database.transaction { sql in
            let spent = try await store.links.invalidateAll(userID: userID, purpose: .enrol, now: now, in: sql)
            let reset = user.status == .active
            if reset {
                try await store.users.setPassword(userID: userID, hash: nil, now: now, in: sql)
                try await store.users.setStatus(userID: userID, status: .pending, now: now, in: sql)
            }
            let ended = try await store.sessions.deleteAll(userID: userID, in: sql)
            let token = try await store.links.create(
                purpose: .enrol,
                userID: userID,
                validFor: Self.enrolmentLinkLifetime,
                now: now,
                in: sql
            )
            var detail = "\(spent) earlier links invalidated, \(ended) sessions ended"
            if reset { detail += ", account back to pending (no second factor was set up)" }
            try await store.audit.append(
                AuditEvent(
                    actor: actor,
                    action: .userEnrolmentReissued,
                    target: "user:\(userID)",
                    ip: ip,
                    detail: detail
                ),
                now: now,
                in: sql
            )
            return token
        }
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
        let hash = try await hasher.hash(password, on: hashing)
        let store = self.store
        return try await store.database.transaction { sql in
            // Consume only after the password passed, so a typo does not burn the link; the account must still
            // be pending (not disabled or reissued meanwhile).
            guard try await store.links.consume(token: token, purpose: .enrol, now: now, in: sql) != nil,
                let current = try await store.users.find(id: userID, in: sql), current.status == .pending
            else { throw AccountError(.linkInvalid) }
            try await store.users.setPassword(userID: userID, hash: hash, now: now, in: sql)
            try await store.users.setStatus(userID: userID, status: .active, now: now, in: sql)
            try await store.audit.append(
                AuditEvent(actor: "user:\(userID)", action: .userEnrolled, target: "user:\(userID)", ip: ip),
                now: now,
                in: sql
            )
            return try await store.users.find(id: userID, in: sql) ?? current
        }
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
        let hash = try await hasher.hash(password, on: hashing)
        let store = self.store
        return try await store.database.transaction { sql in
            guard try await store.links.consume(token: token, purpose: .setup, now: now, in: sql) != nil else {
                throw AccountError(.linkInvalid)
            }
            let user = try await store.users.create(
                email: email,
                displayName: name,
                role: .admin,
                status: .active,
                now: now,
                in: sql
            )
            try await store.users.setPassword(userID: user.id, hash: hash, now: now, in: sql)
            try await store.audit.append(
                AuditEvent(actor: "user:\(user.id)", action: .setupFirstAdmin, target: "user:\(user.id)", ip: ip),
                now: now,
                in: sql
            )
            return try await store.users.find(id: user.id, in: sql) ?? user
        }
    }

    /// Changes the password. Every session of the account ends in the same transaction; with
    /// `newSessionLifetime` a fresh complete session (a new id) replaces the caller's and is returned, so the
    /// browser that made the change stays signed in under an id nobody else has seen.
    @discardableResult
    public func changePassword(
        userID: Int64,
        current: String,
        new: String,
        ip: String,
        newSessionLifetime: TimeInterval? = nil
    ) async throws -> (id: String, session: StaffSession)? {
        let now = now()
        guard let user = try await store.users.find(id: userID), user.status == .active else {
            throw AccountError(.notFound)
        }
        let verified = try await countedCheck(userID: user.id, ip: ip, now: now) { () async throws -> Bool? in
            guard let hash = user.passwordHash, try await verifyOnPool(current, against: hash) else { return nil }
            return true
        }
        guard verified == true else {
            try await refuse(user, .accountPasswordChangeRefused, "wrong current password", ip)
            throw AccountError(.wrongCode)
        }
        let problems = policy.problems(
            in: new,
            hasSecondFactor: user.totpEnabled || user.role.requiresSecondFactor,
            accountEmail: user.email
        )
        guard problems.isEmpty else { throw AccountError(.weakPassword(problems)) }
        let newHash = try await hasher.hash(new, on: hashing)
        let store = self.store
        return try await store.database.transaction { sql in
            try await store.users.setPassword(userID: userID, hash: newHash, now: now, in: sql)
            let ended = try await store.sessions.deleteAll(userID: userID, in: sql)
            let session = try await newSessionLifetime.asyncMap { lifetime in
                try await store.sessions.create(
                    userID: userID,
                    stage: .complete,
                    mayEnrol: false,
                    ip: ip,
                    now: now,
                    absoluteLifetime: lifetime,
                    in: sql
                )
            }
            try await store.audit.append(
                AuditEvent(
                    actor: "user:\(userID)",
                    action: .accountPasswordChanged,
                    target: "user:\(userID)",
                    ip: ip,
                    detail: "\(ended) sessions ended\(session == nil ? "" : ", a new one started")"
                ),
                now: now,
                in: sql
            )
            return session
        }
    }

    /// Disables or enables an account. Disabling ends its sessions and revokes every API token it created, in the
    /// same transaction (a person who left must not keep access through a token).
    public func setDisabled(userID: Int64, disabled: Bool, actor: String, ip: String) async throws {
        let now = now()
        let store = self.store
        try await store.database.transaction { sql in
            // As in `setRole`: the last-admin check holds the admins' rows until the change commits.
            let admins = try await store.users.lockActiveAdmins(in: sql)
            guard let user = try await store.users.findLocked(id: userID, in: sql) else {
                throw AccountError(.notFound)
            }
            if disabled, user.role == .admin, user.status == .active, admins <= 1 {
                throw AccountError(.lastAdmin)
            }
            let status: StaffUser.Status = disabled ? .disabled : (user.passwordHash == nil ? .pending : .active)
            try await store.users.setStatus(userID: userID, status: status, now: now, in: sql)
            var detail = ""
            if disabled {
                let ended = try await store.sessions.deleteAll(userID: userID, in: sql)
                let revoked = try await store.tokens.revokeAll(createdBy: "user:\(userID)", now: now, in: sql)
                try await auditRevoked(revoked, because: "its creator user:\(userID) was disabled", actor, ip, now, sql)
                detail = "\(ended) sessions ended, \(revoked.count) API tokens revoked"
            }
            try await store.audit.append(
                AuditEvent(
                    actor: actor,
                    action: disabled ? .userDisable : .userEnable,
                    target: "user:\(userID)",
                    ip: ip,
                    detail: detail
                ),
                now: now,
                in: sql
            )
        }
    }
}

extension AccountService {
    /// One `token.revoke` entry per token a change revoked, in the change's transaction.
    func auditRevoked(
        _ tokenIDs: [Int64],
        because reason: String,
        _ actor: String,
        _ ip: String,
        _ now: Date,
        _ sql: any SQLDatabase
    ) async throws {
        for id in tokenIDs.sorted() {
            try await store.audit.append(
                AuditEvent(actor: actor, action: .tokenRevoke, target: "token:\(id)", ip: ip, detail: reason),
                now: now,
                in: sql
            )
        }
    }
}

extension Optional {
    fileprivate func asyncMap<U: Sendable>(_ transform: (Wrapped) async throws -> U) async throws -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
