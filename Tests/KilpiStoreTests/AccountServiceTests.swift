import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("AccountService")
struct AccountServiceTests {
    static let password = "plum tree under the november sky"
    static let adminPassword = "lighthouse keeper 1987"

    static func service(_ f: Fixture) -> AccountService {
        AccountService(store: f.store, hasher: fastHasher, now: f.clock.source)
    }

    /// An active account with `password`, made directly through the repositories.
    static func activeUser(
        _ f: Fixture,
        email: String = "anna@example.fi",
        role: Role = .responder,
        password: String = AccountServiceTests.password
    ) async throws -> StaffUser {
        let user = try await f.user(email, role: role)
        try await f.store.users.setPassword(userID: user.id, hash: try fastHasher.hash(password), now: f.now)
        return try #require(await f.store.users.find(id: user.id))
    }

    /// The first admin, made the way an operator does it: setup link, then the setup form.
    static func firstAdmin(
        _ f: Fixture,
        _ service: AccountService,
        email: String = "admin@example.fi"
    ) async throws -> StaffUser {
        let token = try #require(await service.setupLinkIfNeeded())
        return try await service.completeSetup(
            token: token,
            email: email,
            displayName: "First Admin",
            password: adminPassword,
            ip: "127.0.0.1"
        )
    }

    static func actions(_ f: Fixture) async throws -> [String] {
        try await f.store.audit.entries(AuditFilter(limit: 1000)).reversed().map(\.action)
    }

    /// The proof a session started by an enrolment or setup link carries.
    static let link = AccountService.FactorProof(fromEnrolmentLink: true)

    static func totp(_ secret: String) throws -> TOTP {
        TOTP(secret: try #require(Base32.decode(secret)))
    }

    // MARK: - Sign-in

    @Test("the right password signs in and is recorded", arguments: TestDatabases.engines)
    func loginSuccess(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.activeUser(f)
            let outcome = try await service.login(email: "  ANNA@example.fi", password: Self.password, ip: "192.0.2.7")
            guard case .accepted(let who, let stage) = outcome else {
                Issue.record("expected acceptance, got \(outcome)")
                return
            }
            #expect(who.id == user.id)
            #expect(stage == .complete)
            #expect(try await f.store.users.find(id: user.id)?.lastLoginAt == f.now)
            let entry = try #require(await f.store.audit.entries(AuditFilter()).first)
            #expect(entry.action == "session.login")
            #expect(entry.actor == "user:\(user.id)")
            #expect(entry.ip == "192.0.2.7")
        }
    }

    @Test("a wrong password and an unknown email look the same to the caller", arguments: TestDatabases.engines)
    func loginRejected(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.activeUser(f)
            let wrong = try await service.login(
                email: "anna@example.fi",
                password: Self.password + "!",
                ip: "192.0.2.7"
            )
            let unknown = try await service.login(email: "nobody@example.fi", password: Self.password, ip: "192.0.2.7")
            #expect(wrong == .rejected)
            #expect(unknown == .rejected)
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 1)

            let entries = try await f.store.audit.entries(AuditFilter())
            #expect(entries.map(\.action) == ["session.login_failed", "session.login_failed"])
            #expect(entries[0].actor == "anonymous", "no email, so no personal data, in the log")
            #expect(!entries.contains { $0.detail.contains("nobody") || $0.target.contains("nobody") })
            #expect(entries[1].target == "user:\(user.id)")
        }
    }

    @Test("disabled and pending accounts cannot sign in", arguments: TestDatabases.engines)
    func inactiveRejected(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.activeUser(f)
            try await f.store.users.setStatus(userID: user.id, status: .disabled, now: f.now)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") == .rejected)
            try await f.store.users.setStatus(userID: user.id, status: .pending, now: f.now)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") == .rejected)
            try await f.store.users.setStatus(userID: user.id, status: .active, now: f.now)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") != .rejected)
        }
    }

    @Test("the lockout delay: four free failures, then 30 s doubling up to 15 min")
    func lockoutArithmetic() {
        for failures in 0..<5 { #expect(AccountService.lockout(afterFailures: failures) == nil) }
        #expect(AccountService.lockout(afterFailures: 5) == 30)
        #expect(AccountService.lockout(afterFailures: 6) == 60)
        #expect(AccountService.lockout(afterFailures: 7) == 120)
        #expect(AccountService.lockout(afterFailures: 8) == 240)
        #expect(AccountService.lockout(afterFailures: 9) == 480)
        #expect(AccountService.maximumLockout == 900)
        #expect(AccountService.lockout(afterFailures: 10) == 900, "960 s capped")
        #expect(AccountService.lockout(afterFailures: 11) == 900)
        #expect(AccountService.lockout(afterFailures: 1_000_000) == 900)
    }

    @Test("after five failures even the right password waits, and the wait grows", arguments: TestDatabases.engines)
    func lockout(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.activeUser(f)
            for attempt in 1...5 {
                #expect(
                    try await service.login(email: user.email, password: "wrong guess \(attempt)", ip: "") == .rejected
                )
            }
            // The lock is per account and source (here the empty address); the account's own count is the
            // ceiling over all sources.
            var lockout = try #require(await f.store.loginThrottle.lockout(userID: user.id, source: ""))
            #expect(lockout.failures == 5)
            #expect(lockout.lockedUntil == f.now.addingTimeInterval(30))
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 5)

            f.clock.advance(29)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") == .rejected)
            #expect(try await Self.actions(f).last == "session.login_throttled")
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 5, "throttled tries are not counted")
            #expect(try await f.store.loginThrottle.lockout(userID: user.id, source: "")?.failures == 5)

            // The lock has passed: one more failure locks for twice as long.
            f.clock.advance(2)
            #expect(try await service.login(email: user.email, password: "wrong guess 6", ip: "") == .rejected)
            lockout = try #require(await f.store.loginThrottle.lockout(userID: user.id, source: ""))
            #expect(lockout.failures == 6)
            #expect(lockout.lockedUntil == f.now.addingTimeInterval(60))
            f.clock.advance(59)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") == .rejected)

            f.clock.advance(2)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") != .rejected)
            let stored = try #require(await f.store.users.find(id: user.id))
            #expect(stored.failedLogins == 0)
            #expect(stored.lockedUntil == nil)
            #expect(try await f.store.loginThrottle.lockout(userID: user.id, source: "") == nil)
        }
    }

    @Test("guesses sent in parallel cannot slip past the lockout", arguments: TestDatabases.engines)
    func parallelGuesses(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            // Room for all twenty on the hashing threads (the standard pool would answer some "busy").
            let service = AccountService(
                store: f.store,
                hasher: fastHasher,
                now: f.clock.source,
                hashing: PasswordHashingPool(threads: 2, queueLimit: 20)
            )
            let user = try await Self.activeUser(f)
            let outcomes = try await withThrowingTaskGroup(of: AccountService.LoginOutcome.self) { group in
                for attempt in 0..<20 {
                    group.addTask { try await service.login(email: user.email, password: "guess \(attempt)", ip: "") }
                }
                var outcomes: [AccountService.LoginOutcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.allSatisfy { $0 == .rejected })
            // Each guess takes its slot before its password is checked: exactly five got one, the fifth set
            // the lock, and the rest were refused unchecked and uncounted.
            let lockout = try #require(await f.store.loginThrottle.lockout(userID: user.id, source: ""))
            #expect(lockout.failures == AccountService.freeFailures)
            let delay = try #require(AccountService.lockout(afterFailures: AccountService.freeFailures))
            #expect(lockout.lockedUntil == f.now.addingTimeInterval(delay))
            // The right password is refused too (the address has also used up its window's twenty attempts).
            let after = try await service.login(email: user.email, password: Self.password, ip: "")
            #expect(after == .rejected || after == .throttled)
        }
    }

    @Test("a password hashed with an older, cheaper cost is upgraded at sign-in", arguments: TestDatabases.engines)
    func rehash(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            try await f.store.users.setPassword(
                userID: user.id,
                hash: try PasswordHasher(logN: 8, r: 8, p: 1).hash(Self.password),
                now: f.now
            )
            #expect(try await Self.service(f).login(email: user.email, password: Self.password, ip: "") != .rejected)
            let stored = try #require(await f.store.users.find(id: user.id)?.passwordHash)
            #expect(stored.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
            #expect(fastHasher.verify(Self.password, against: stored))
        }
    }

    // MARK: - Second factor

    @Test("an admin without a second factor must enrol one before anything else", arguments: TestDatabases.engines)
    func adminNeedsEnrolment(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let outcome = try await service.login(email: admin.email, password: Self.adminPassword, ip: "")
            #expect(outcome == .accepted(admin, .needsEnrolment))
            // Not signed in yet: no login recorded, no success stored.
            #expect(try await f.store.users.find(id: admin.id)?.lastLoginAt == nil)
            #expect(try await Self.actions(f).contains("session.login") == false)
        }
    }

    @Test("TOTP: enrol, then each code works once and never again", arguments: TestDatabases.engines)
    func totpFlow(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let secret = service.newTOTPSecret()
            let totp = try Self.totp(secret)
            #expect(service.provisioningURI(secret: secret, email: admin.email).contains("secret=\(secret)"))

            // A wrong confirmation code turns nothing on.
            let wrongCode = totp.code(at: f.now) == "000000" ? "000001" : "000000"
            await #expect(throws: AccountError(.wrongCode)) {
                try await service.confirmTOTP(
                    userID: admin.id,
                    secret: secret,
                    code: wrongCode,
                    proof: Self.link,
                    ip: ""
                )
            }
            #expect(try await f.store.users.find(id: admin.id)?.totpEnabled == false)

            let enrolmentCode = totp.code(at: f.now)
            let recovery = try await service.confirmTOTP(
                userID: admin.id,
                secret: secret,
                code: enrolmentCode,
                proof: Self.link,
                ip: ""
            )
            #expect(recovery.count == 10)
            #expect(try await f.store.recoveryCodes.remaining(userID: admin.id) == 10)
            #expect(try await f.store.users.find(id: admin.id)?.totpEnabled == true)

            guard
                case .accepted(_, let stage) = try await service.login(
                    email: admin.email,
                    password: Self.adminPassword,
                    ip: ""
                )
            else {
                Issue.record("password refused")
                return
            }
            #expect(stage == .needsSecondFactor)
            // The code shown while enrolling was used up by the enrolment.
            #expect(try await service.verifySecondFactor(userID: admin.id, code: enrolmentCode, ip: "") == .rejected)

            f.clock.advance(30)
            let code = totp.code(at: f.now)
            #expect(try await service.verifySecondFactor(userID: admin.id, code: code, ip: "") == .accepted)
            #expect(try await service.verifySecondFactor(userID: admin.id, code: code, ip: "") == .rejected, "replayed")
            // The previous step is still inside the drift window but older than the one used: refused.
            let previous = totp.code(forStep: totp.timeStep(at: f.now) - 1)
            #expect(try await service.verifySecondFactor(userID: admin.id, code: previous, ip: "") == .rejected)

            f.clock.advance(30)
            #expect(
                try await service.verifySecondFactor(userID: admin.id, code: totp.code(at: f.now), ip: "") == .accepted
            )

            let failures = try await f.store.audit.entries(AuditFilter(actionPrefix: "session.second_factor_failed"))
            #expect(failures.count == 3)
            #expect(failures.contains { $0.detail == "replayed totp code" })
            #expect(
                try await f.store.audit.entries(AuditFilter(actionPrefix: "session.login")).map(\.detail)
                    == ["second factor: totp", "second factor: totp"]
            )
        }
    }

    @Test("a recovery code signs in once", arguments: TestDatabases.engines)
    func recoveryCodeFlow(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let secret = service.newTOTPSecret()
            let codes = try await service.confirmTOTP(
                userID: admin.id,
                secret: secret,
                code: try Self.totp(secret).code(at: f.now),
                proof: Self.link,
                ip: ""
            )
            f.clock.advance(3600)

            #expect(try await service.verifySecondFactor(userID: admin.id, code: codes[0], ip: "") == .accepted)
            #expect(try await service.verifySecondFactor(userID: admin.id, code: codes[0], ip: "") == .rejected)
            let typed = codes[1].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await service.verifySecondFactor(userID: admin.id, code: typed, ip: "") == .accepted)
            #expect(try await f.store.recoveryCodes.remaining(userID: admin.id) == 8)

            let details = try await f.store.audit.entries(AuditFilter(actionPrefix: "session")).map {
                "\($0.action) \($0.detail)"
            }
            #expect(
                details == [
                    "session.login second factor: recovery code",
                    "session.second_factor_failed recovery code",
                    "session.login second factor: recovery code",
                ]
            )

            // Regenerating through the service invalidates what is left and is recorded.
            let fresh = try await service.regenerateRecoveryCodes(userID: admin.id, current: Self.adminPassword, ip: "")
            #expect(try await service.verifySecondFactor(userID: admin.id, code: codes[2], ip: "") == .rejected)
            #expect(try await service.verifySecondFactor(userID: admin.id, code: fresh[0], ip: "") == .accepted)
            #expect(try await Self.actions(f).contains("account.recovery_codes_regenerated"))
        }
    }

    @Test("second-factor failures count towards the lockout", arguments: TestDatabases.engines)
    func secondFactorLockout(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let secret = service.newTOTPSecret()
            let totp = try Self.totp(secret)
            _ = try await service.confirmTOTP(
                userID: admin.id,
                secret: secret,
                code: totp.code(at: f.now),
                proof: Self.link,
                ip: ""
            )
            f.clock.advance(30)
            let good = totp.code(at: f.now)
            for attempt in 0..<5 {
                let wrong = String(format: "%06d", (Int(good)! + 1 + attempt * 7) % 1_000_000)
                #expect(try await service.verifySecondFactor(userID: admin.id, code: wrong, ip: "") == .rejected)
            }
            #expect(
                try await f.store.loginThrottle.lockout(userID: admin.id, source: "")?.lockedUntil
                    == f.now.addingTimeInterval(30)
            )
            #expect(try await service.verifySecondFactor(userID: admin.id, code: good, ip: "") == .rejected, "locked")
            f.clock.advance(31)
            #expect(
                try await service.verifySecondFactor(userID: admin.id, code: totp.code(at: f.now), ip: "") == .accepted
            )
        }
    }

    // MARK: - First admin

    @Test("the setup link exists only while there is no admin, and works once", arguments: TestDatabases.engines)
    func setupLink(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let token = try #require(await service.setupLinkIfNeeded())
            let spare = try #require(await service.setupLinkIfNeeded())

            let admin = try await service.completeSetup(
                token: token,
                email: "Admin@Example.fi",
                displayName: " First Admin ",
                password: Self.adminPassword,
                ip: "127.0.0.1"
            )
            #expect(admin.role == .admin)
            #expect(admin.status == .active)
            #expect(admin.email == "admin@example.fi")
            #expect(admin.displayName == "First Admin")
            #expect(fastHasher.verify(Self.adminPassword, against: try #require(admin.passwordHash)))

            #expect(try await service.setupLinkIfNeeded() == nil)
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeSetup(
                    token: token,
                    email: "second@example.fi",
                    displayName: "Second",
                    password: Self.adminPassword,
                    ip: ""
                )
            }
            await #expect(throws: AccountError(.adminExists)) {
                try await service.completeSetup(
                    token: spare,
                    email: "second@example.fi",
                    displayName: "Second",
                    password: Self.adminPassword,
                    ip: ""
                )
            }
            #expect(try await f.store.users.count(role: .admin, status: nil) == 1)
            #expect(try await Self.actions(f) == ["setup.link_issued", "setup.link_issued", "setup.first_admin"])
        }
    }

    @Test("a setup link expires after an hour", arguments: TestDatabases.engines)
    func setupLinkExpires(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let token = try #require(await service.setupLinkIfNeeded())
            f.clock.advance(61 * 60)
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeSetup(
                    token: token,
                    email: "admin@example.fi",
                    displayName: "Admin",
                    password: Self.adminPassword,
                    ip: ""
                )
            }
            #expect(try await f.store.users.count(role: nil, status: nil) == 0)
            // A fresh link still works.
            let fresh = try #require(await service.setupLinkIfNeeded())
            _ = try await service.completeSetup(
                token: fresh,
                email: "admin@example.fi",
                displayName: "Admin",
                password: Self.adminPassword,
                ip: ""
            )
        }
    }

    @Test("racing uses of one setup link create one admin", arguments: TestDatabases.engines)
    func setupRace(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let token = try #require(await service.setupLinkIfNeeded())
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        do {
                            _ = try await service.completeSetup(
                                token: token,
                                email: "admin\(index)@example.fi",
                                displayName: "Admin",
                                password: Self.adminPassword,
                                ip: ""
                            )
                            return true
                        } catch let error as AccountError
                            where error == AccountError(.linkInvalid) || error == AccountError(.adminExists)
                        {
                            return false
                        }
                    }
                }
                var count = 0
                for try await ok in group where ok { count += 1 }
                return count
            }
            #expect(created == 1)
            #expect(try await f.store.users.count(role: .admin, status: nil) == 1)
        }
    }

    @Test("a weak setup password is refused with its problems and the link survives", arguments: TestDatabases.engines)
    func setupWeakPassword(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let token = try #require(await service.setupLinkIfNeeded())
            let short = await #expect(throws: AccountError.self) {
                try await service.completeSetup(
                    token: token,
                    email: "admin@example.fi",
                    displayName: "Admin",
                    password: "k9#vQ2",
                    ip: ""
                )
            }
            #expect(short?.code == .weakPassword([.tooShort(minimum: 8)]))
            let common = await #expect(throws: AccountError.self) {
                try await service.completeSetup(
                    token: token,
                    email: "admin@example.fi",
                    displayName: "Admin",
                    password: "1q2w3e4r5t6y7u8i",
                    ip: ""
                )
            }
            #expect(common?.code == .weakPassword([.common]))
            let ownEmail = await #expect(throws: AccountError.self) {
                try await service.completeSetup(
                    token: token,
                    email: "admin@example.fi",
                    displayName: "Admin",
                    password: "Admin@Example.fi",
                    ip: ""
                )
            }
            #expect(ownEmail?.code == .weakPassword([.common]))
            await #expect(throws: AccountError(.invalidEmail)) {
                try await service.completeSetup(
                    token: token,
                    email: "not an email",
                    displayName: "Admin",
                    password: Self.adminPassword,
                    ip: ""
                )
            }
            await #expect(throws: AccountError(.invalidName)) {
                try await service.completeSetup(
                    token: token,
                    email: "admin@example.fi",
                    displayName: "   ",
                    password: Self.adminPassword,
                    ip: ""
                )
            }
            #expect(try await f.store.users.count(role: nil, status: nil) == 0)
            #expect(try await f.store.links.peek(token: token, purpose: .setup, now: f.now) != nil, "not consumed")
            _ = try await service.completeSetup(
                token: token,
                email: "admin@example.fi",
                displayName: "Admin",
                password: Self.adminPassword,
                ip: ""
            )
        }
    }

    // MARK: - Enrolment

    @Test("a new member enrols through their link once, then signs in", arguments: TestDatabases.engines)
    func enrolment(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let (user, token) = try await service.addUser(
                email: "Bertta@Example.fi",
                displayName: "Bertta",
                role: .responder,
                actor: "user:\(admin.id)",
                ip: ""
            )
            #expect(user.status == .pending)
            #expect(user.email == "bertta@example.fi")
            #expect(
                try await service.login(email: user.email, password: Self.password, ip: "") == .rejected,
                "no password yet"
            )

            let enrolled = try await service.completeEnrolment(token: token, password: Self.password, ip: "")
            #expect(enrolled.status == .active)
            #expect(enrolled.passwordHash != nil)
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeEnrolment(token: token, password: "another long pass phrase", ip: "")
            }
            #expect(
                fastHasher.verify(
                    Self.password,
                    against: try #require(await f.store.users.find(id: user.id)?.passwordHash)
                )
            )
            #expect(
                try await service.login(email: user.email, password: Self.password, ip: "")
                    == .accepted(enrolled, .complete)
            )

            #expect(
                try await Self.actions(f).suffix(4) == [
                    "user.create", "session.login_failed", "user.enrolled", "session.login",
                ]
            )
            let create = try #require(await f.store.audit.entries(AuditFilter(actionPrefix: "user.create")).first)
            #expect(create.actor == "user:\(admin.id)")
            #expect(create.target == "user:\(user.id)")
            #expect(!create.detail.contains("bertta"), "no email in the log")
        }
    }

    @Test("weak enrolment passwords are refused and the link is not used up", arguments: TestDatabases.engines)
    func enrolmentWeakPassword(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let (user, token) = try await service.addUser(
                email: "bertta@example.fi",
                displayName: "Bertta",
                role: .communicator,
                actor: "cli",
                ip: ""
            )
            // Without a second factor the minimum is 15.
            let short = await #expect(throws: AccountError.self) {
                try await service.completeEnrolment(token: token, password: "fourteen chars", ip: "")
            }
            #expect(short?.code == .weakPassword([.tooShort(minimum: 15)]))
            let common = await #expect(throws: AccountError.self) {
                try await service.completeEnrolment(token: token, password: "1q2w3e4r5t6y7u8i", ip: "")
            }
            #expect(common?.code == .weakPassword([.common]))
            let run = await #expect(throws: AccountError.self) {
                try await service.completeEnrolment(token: token, password: "1234567890123456", ip: "")
            }
            #expect(
                run.map {
                    if case .weakPassword(let problems) = $0.code { problems.contains(.repetitive) } else { false }
                } == true
            )

            #expect(try await f.store.users.find(id: user.id)?.status == .pending)
            #expect(try await f.store.links.peek(token: token, purpose: .enrol, now: f.now) != nil)
            #expect(
                try await service.completeEnrolment(token: token, password: Self.password, ip: "").status == .active
            )
        }
    }

    @Test("an enrolment link expires after 72 hours; a reissued one works", arguments: TestDatabases.engines)
    func enrolmentExpiry(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let (user, token) = try await service.addUser(
                email: "bertta@example.fi",
                displayName: "Bertta",
                role: .viewer,
                actor: "cli",
                ip: ""
            )
            f.clock.advance(72 * 3600 + 1)
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeEnrolment(token: token, password: Self.password, ip: "")
            }
            let fresh = try await service.reissueEnrolment(userID: user.id, actor: "cli", ip: "")
            #expect(fresh != token)
            #expect(
                try await service.completeEnrolment(token: fresh, password: Self.password, ip: "").status == .active
            )
            // Only pending accounts get new links.
            await #expect(throws: AccountError(.notFound)) {
                try await service.reissueEnrolment(userID: user.id, actor: "cli", ip: "")
            }
            #expect(try await Self.actions(f).contains("user.enrolment_reissued"))
        }
    }

    @Test("an enrolment link of a disabled account does not work", arguments: TestDatabases.engines)
    func enrolmentDisabled(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            _ = try await Self.firstAdmin(f, service)
            let (user, token) = try await service.addUser(
                email: "bertta@example.fi",
                displayName: "Bertta",
                role: .viewer,
                actor: "cli",
                ip: ""
            )
            try await service.setDisabled(userID: user.id, disabled: true, actor: "cli", ip: "")
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeEnrolment(token: token, password: Self.password, ip: "")
            }
            // Enabling again returns it to pending (it has no password), and the link works.
            try await service.setDisabled(userID: user.id, disabled: false, actor: "cli", ip: "")
            #expect(try await f.store.users.find(id: user.id)?.status == .pending)
            #expect(
                try await service.completeEnrolment(token: token, password: Self.password, ip: "").status == .active
            )
        }
    }

    @Test("adding users checks the email and the name", arguments: TestDatabases.engines)
    func addUserValidation(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            _ = try await service.addUser(
                email: "bertta@example.fi",
                displayName: "Bertta",
                role: .viewer,
                actor: "cli",
                ip: ""
            )
            await #expect(throws: AccountError(.emailTaken)) {
                try await service.addUser(
                    email: " BERTTA@example.FI",
                    displayName: "Other",
                    role: .viewer,
                    actor: "cli",
                    ip: ""
                )
            }
            for email in ["bertta", "bertta@", "@example.fi", "a b@example.fi", "x@localhost", "x@example.fi."] {
                await #expect(throws: AccountError(.invalidEmail), "\(email)") {
                    try await service.addUser(email: email, displayName: "X", role: .viewer, actor: "cli", ip: "")
                }
            }
            await #expect(throws: AccountError(.invalidName)) {
                try await service.addUser(
                    email: "c@example.fi",
                    displayName: String(repeating: "n", count: 201),
                    role: .viewer,
                    actor: "cli",
                    ip: ""
                )
            }
            #expect(try await f.store.users.count(role: nil, status: nil) == 1)
            #expect(try await Self.actions(f) == ["user.create"])
        }
    }

    // MARK: - Managing accounts

    @Test("the last active admin can be neither demoted nor disabled", arguments: TestDatabases.engines)
    func lastAdmin(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let first = try await Self.firstAdmin(f, service)
            await #expect(throws: AccountError(.lastAdmin)) {
                try await service.setRole(userID: first.id, role: .responder, actor: "user:\(first.id)", ip: "")
            }
            await #expect(throws: AccountError(.lastAdmin)) {
                try await service.setDisabled(userID: first.id, disabled: true, actor: "user:\(first.id)", ip: "")
            }

            // A second admin who has not enrolled yet does not count.
            let (second, token) = try await service.addUser(
                email: "second@example.fi",
                displayName: "Second",
                role: .admin,
                actor: "user:\(first.id)",
                ip: ""
            )
            await #expect(throws: AccountError(.lastAdmin)) {
                try await service.setDisabled(userID: first.id, disabled: true, actor: "user:\(first.id)", ip: "")
            }
            _ = try await service.completeEnrolment(token: token, password: Self.adminPassword, ip: "")

            // Now the first may step down; their sessions end with the old role.
            _ = try await f.store.sessions.create(
                userID: first.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: 3600
            )
            try await service.setRole(userID: first.id, role: .responder, actor: "user:\(second.id)", ip: "")
            #expect(try await f.store.users.find(id: first.id)?.role == .responder)
            #expect(try await f.store.sessions.count(userID: first.id) == 0)
            await #expect(throws: AccountError(.lastAdmin)) {
                try await service.setDisabled(userID: second.id, disabled: true, actor: "user:\(second.id)", ip: "")
            }
            #expect(try await f.store.users.find(id: second.id)?.status == .active)

            let change = try #require(await f.store.audit.entries(AuditFilter(actionPrefix: "user.role_changed")).first)
            #expect(change.detail == "admin -> responder; 1 sessions ended, 0 API tokens revoked")
            #expect(change.actor == "user:\(second.id)")
        }
    }

    @Test("two admins demoting each other at once leave one admin", arguments: TestDatabases.engines)
    func parallelDemotionsKeepAnAdmin(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let first = try await Self.firstAdmin(f, service)
            let second = try await Self.activeUser(f, email: "second@example.fi", role: .admin)
            for _ in 0..<3 {
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for (target, by) in [(first.id, second.id), (second.id, first.id)] {
                        group.addTask {
                            do {
                                try await service.setRole(userID: target, role: .responder, actor: "user:\(by)", ip: "")
                                return true
                            } catch { return false }
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1)
                #expect(try await f.store.users.count(role: .admin, status: .active) == 1)
                // Make both admins again for the next round.
                for user in [first, second] {
                    try await f.store.database.transaction { sql in
                        try await f.store.users.setRole(userID: user.id, role: .admin, now: f.now, in: sql)
                    }
                }
            }
        }
    }

    @Test("a token is made under its creator's account as it is at that moment", arguments: TestDatabases.engines)
    func tokenCreatorIsCheckedInTheTransaction(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let other = try await Self.activeUser(f, email: "other@example.fi", role: .admin)
            // A request that loaded `other`'s session as an admin, arriving after the demotion committed:
            try await service.setRole(userID: other.id, role: .responder, actor: "user:\(admin.id)", ip: "")
            await #expect(throws: AccountError(.notFound)) {
                _ = try await service.createToken(name: "late", role: .admin, actor: "user:\(other.id)", ip: "")
            }
            // An admin may not mint a token beyond their role either way, and a disabled one none at all.
            try await service.setRole(userID: other.id, role: .admin, actor: "user:\(admin.id)", ip: "")
            _ = try await service.createToken(name: "ok", role: .viewer, actor: "user:\(other.id)", ip: "")
            try await service.setDisabled(userID: other.id, disabled: true, actor: "user:\(admin.id)", ip: "")
            await #expect(throws: AccountError(.notFound)) {
                _ = try await service.createToken(name: "gone", role: .viewer, actor: "user:\(other.id)", ip: "")
            }
            #expect(try await f.store.tokens.all().filter { $0.revokedAt == nil }.isEmpty)
            // The command line is not a person: its tokens are not tied to an account.
            _ = try await service.createToken(name: "cli", role: .admin, actor: "cli", ip: "local")
        }
    }

    @Test(
        "a demotion revokes the tokens its holder made beyond the new role, in the change's transaction",
        arguments: TestDatabases.engines
    )
    func demotionRevokesTokensBeyondTheNewRole(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let other = try await Self.activeUser(f, email: "other@example.fi", role: .admin)
            func token(_ role: Role, by user: StaffUser) async throws -> APIToken {
                try await service.createToken(name: "\(role)", role: role, actor: "user:\(user.id)", ip: "").token
            }
            let adminToken = try await token(.admin, by: other)
            let responderToken = try await token(.responder, by: other)
            let viewerToken = try await token(.viewer, by: other)
            let someoneElses = try await token(.admin, by: admin)

            try await service.setRole(userID: other.id, role: .responder, actor: "user:\(admin.id)", ip: "")
            func revoked(_ token: APIToken) async throws -> Bool {
                try #require(await f.store.tokens.find(id: token.id)).revokedAt != nil
            }
            #expect(try await revoked(adminToken))
            #expect(try await !revoked(responderToken))
            #expect(try await !revoked(viewerToken))
            #expect(try await !revoked(someoneElses))
            let entries = try await f.store.audit.entries(AuditFilter(limit: 10))
            #expect(entries.first?.action == "user.role_changed")
            #expect(entries.first?.detail == "admin -> responder; 0 sessions ended, 1 API tokens revoked")
            #expect(entries.dropFirst().first?.action == "token.revoke")
            #expect(entries.dropFirst().first?.target == "token:\(adminToken.id)")

            // Down to viewer: the responder token goes too, the viewer token stays.
            try await service.setRole(userID: other.id, role: .viewer, actor: "user:\(admin.id)", ip: "")
            #expect(try await revoked(responderToken))
            #expect(try await !revoked(viewerToken))
            #expect(try await f.store.audit.verify().isIntact)
        }
    }

    @Test("disabling ends sessions and sign-in; enabling restores them", arguments: TestDatabases.engines)
    func disableEnable(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.activeUser(f)
            _ = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: 3600
            )
            try await service.setDisabled(userID: user.id, disabled: true, actor: "cli", ip: "")
            #expect(try await f.store.sessions.count(userID: user.id) == 0)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") == .rejected)
            try await service.setDisabled(userID: user.id, disabled: false, actor: "cli", ip: "")
            #expect(try await f.store.users.find(id: user.id)?.status == .active)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") != .rejected)
            await #expect(throws: AccountError(.notFound)) {
                try await service.setDisabled(userID: user.id + 1000, disabled: true, actor: "cli", ip: "")
            }
        }
    }

    @Test("changing a password needs the current one and follows the policy", arguments: TestDatabases.engines)
    func changePassword(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.activeUser(f)
            let newPassword = "a completely different phrase"
            await #expect(throws: AccountError(.wrongCode)) {
                try await service.changePassword(userID: user.id, current: "not it", new: newPassword, ip: "")
            }
            await #expect(throws: AccountError.self) {
                try await service.changePassword(userID: user.id, current: Self.password, new: "short", ip: "")
            }
            try await service.changePassword(userID: user.id, current: Self.password, new: newPassword, ip: "")
            #expect(try await service.login(email: user.email, password: Self.password, ip: "") == .rejected)
            #expect(try await service.login(email: user.email, password: newPassword, ip: "") != .rejected)
        }
    }

    @Test("every account operation leaves an audit entry, and the chain holds", arguments: TestDatabases.engines)
    func everythingAudited(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let admin = try await Self.firstAdmin(f, service)
            let secret = service.newTOTPSecret()
            let totp = try Self.totp(secret)
            _ = try await service.confirmTOTP(
                userID: admin.id,
                secret: secret,
                code: totp.code(at: f.now),
                proof: Self.link,
                ip: ""
            )
            f.clock.advance(30)
            _ = try await service.login(email: admin.email, password: Self.adminPassword, ip: "")
            _ = try await service.verifySecondFactor(userID: admin.id, code: totp.code(at: f.now), ip: "")
            _ = try await service.regenerateRecoveryCodes(userID: admin.id, current: Self.adminPassword, ip: "")
            let (user, token) = try await service.addUser(
                email: "b@example.fi",
                displayName: "B",
                role: .agent,
                actor: "user:\(admin.id)",
                ip: ""
            )
            // The reissued link replaces the first one.
            let reissued = try await service.reissueEnrolment(userID: user.id, actor: "user:\(admin.id)", ip: "")
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeEnrolment(token: token, password: Self.password, ip: "")
            }
            _ = try await service.completeEnrolment(token: reissued, password: Self.password, ip: "")
            _ = try await service.login(email: user.email, password: "wrong", ip: "")
            _ = try await service.login(email: "ghost@example.fi", password: "wrong", ip: "")
            _ = try await service.login(email: user.email, password: Self.password, ip: "")
            try await service.changePassword(
                userID: user.id,
                current: Self.password,
                new: "yet another long phrase",
                ip: ""
            )
            try await service.setRole(userID: user.id, role: .viewer, actor: "user:\(admin.id)", ip: "")
            try await service.setDisabled(userID: user.id, disabled: true, actor: "user:\(admin.id)", ip: "")
            try await service.setDisabled(userID: user.id, disabled: false, actor: "user:\(admin.id)", ip: "")

            #expect(
                try await Self.actions(f) == [
                    "setup.link_issued", "setup.first_admin", "account.second_factor_enabled", "session.login",
                    "account.recovery_codes_regenerated", "user.create", "user.enrolment_reissued", "user.enrolled",
                    "session.login_failed", "session.login_failed", "session.login", "account.password_changed",
                    "user.role_changed", "user.disable", "user.enable",
                ]
            )
            let verification = try await f.store.audit.verify()
            #expect(verification.isIntact)
            #expect(verification.checked == 15)
        }
    }
}
