import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

/// The attempt limits of `SignInLimits`, through `AccountService`: counted in the database before anything is
/// checked, per source, per account and source, and per account.
@Suite("Sign-in limits")
struct SignInLimitTests {
    static let password = "plum tree under the november sky"

    static func service(
        _ f: Fixture,
        limits: SignInLimits = .standard,
        pool: PasswordHashingPool = PasswordHashingPool(threads: 2, queueLimit: 400)
    ) -> AccountService {
        AccountService(store: f.store, hasher: fastHasher, now: f.clock.source, limits: limits, hashing: pool)
    }

    static func user(_ f: Fixture, email: String = "anna@example.fi") async throws -> StaffUser {
        let user = try await f.user(email)
        try await f.store.users.setPassword(userID: user.id, hash: try fastHasher.hash(password), now: f.now)
        return try #require(await f.store.users.find(id: user.id))
    }

    static func count(_ f: Fixture, _ action: String, target: String) async throws -> Int {
        try await f.store.audit.entries(AuditFilter(actionPrefix: action, limit: 10_000)).filter {
            $0.action == action && $0.target == target
        }.count
    }

    @Test(
        "200 parallel wrong passwords for one account: only the allowed five are checked",
        arguments: TestDatabases.engines
    )
    func parallelPasswordGuesses(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let limits = SignInLimits(sourceAttempts: 1000)
            let service = Self.service(f, limits: limits)
            let user = try await Self.user(f)
            let outcomes = try await withThrowingTaskGroup(of: AccountService.LoginOutcome.self) { group in
                for attempt in 0..<200 {
                    group.addTask {
                        try await service.login(email: user.email, password: "guess \(attempt)", ip: "192.0.2.50")
                    }
                }
                var outcomes: [AccountService.LoginOutcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.allSatisfy { $0 == .rejected })
            // Each checked password leaves one "wrong password" entry; the rest were refused unchecked.
            let checked = try await Self.count(f, "session.login_failed", target: "user:\(user.id)")
            #expect(checked == limits.perSource.startsAt, "checked \(checked) of 200")
            #expect(try await Self.count(f, "session.login_throttled", target: "user:\(user.id)") == 200 - checked)
            let lockout = try #require(try await f.store.loginThrottle.lockout(userID: user.id, source: "192.0.2.50"))
            #expect(lockout.failures == limits.perSource.startsAt)
            #expect(lockout.lockedUntil == f.now.addingTimeInterval(30))
            #expect(try await service.login(email: user.email, password: Self.password, ip: "192.0.2.50") == .rejected)
        }
    }

    @Test(
        "200 parallel attempts from one address: only the source's window is checked",
        arguments: TestDatabases.engines
    )
    func parallelSourceAttempts(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let limits = SignInLimits(sourceAttempts: 7)
            let service = Self.service(f, limits: limits)
            let outcomes = try await withThrowingTaskGroup(of: AccountService.LoginOutcome.self) { group in
                for attempt in 0..<200 {
                    group.addTask {
                        try await service.login(email: "nobody\(attempt)@example.fi", password: "x", ip: "192.0.2.51")
                    }
                }
                var outcomes: [AccountService.LoginOutcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter { $0 == .rejected }.count == 7)
            #expect(outcomes.filter { $0 == .throttled }.count == 193)
        }
    }

    @Test("a lockout from one address does not stop the owner at another", arguments: TestDatabases.engines)
    func lockoutPerSource(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.user(f)
            for attempt in 1...5 {
                #expect(
                    try await service.login(email: user.email, password: "guess \(attempt)", ip: "198.51.100.1")
                        == .rejected
                )
            }
            #expect(
                try await service.login(email: user.email, password: Self.password, ip: "198.51.100.1") == .rejected
            )
            // The owner, elsewhere, signs in at once.
            guard
                case .accepted(let who, .complete) = try await service.login(
                    email: user.email,
                    password: Self.password,
                    ip: "203.0.113.9"
                )
            else {
                Issue.record("the owner was refused")
                return
            }
            #expect(who.id == user.id)
            // Which does not lift the attacker's lock.
            let lockout = try #require(try await f.store.loginThrottle.lockout(userID: user.id, source: "198.51.100.1"))
            #expect(lockout.lockedUntil == f.now.addingTimeInterval(30))
            #expect(
                try await service.login(email: user.email, password: Self.password, ip: "198.51.100.1") == .rejected
            )
            #expect(try await f.store.loginThrottle.lockout(userID: user.id, source: "203.0.113.9") == nil)
        }
    }

    @Test("guesses spread over many addresses meet the account's ceiling", arguments: TestDatabases.engines)
    func ceilingAcrossSources(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let limits = SignInLimits(perAccount: LockoutSchedule(startsAt: 6, delays: [3600]))
            let service = Self.service(f, limits: limits)
            let user = try await Self.user(f)
            // Two guesses from each of three addresses: no address is locked, but the account has had six.
            for index in 0..<6 {
                let ip = "192.0.2.\(index / 2 + 1)"
                #expect(try await service.login(email: user.email, password: "guess \(index)", ip: ip) == .rejected)
            }
            var stored = try #require(try await f.store.users.find(id: user.id))
            #expect(stored.failedLogins == 6)
            #expect(stored.lockedUntil == f.now.addingTimeInterval(3600))
            // Locked everywhere now, the right password included, and refused attempts do not count.
            #expect(try await service.login(email: user.email, password: Self.password, ip: "203.0.113.1") == .rejected)
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 6)
            #expect(try await f.store.loginThrottle.lockout(userID: user.id, source: "203.0.113.1") == nil)

            f.clock.advance(3601)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "203.0.113.1") != .rejected)
            stored = try #require(try await f.store.users.find(id: user.id))
            #expect(stored.failedLogins == 0)
            #expect(stored.lockedUntil == nil)
        }
    }

    @Test("IPv6 addresses of one /64 share a source's count", arguments: TestDatabases.engines)
    func ipv6PerSlash64(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f, limits: SignInLimits(sourceAttempts: 3))
            for ip in ["2001:db8:7:8::1", "2001:db8:7:8:2:3:4:5", "2001:db8:7:8:ffff:ffff:ffff:ffff"] {
                #expect(try await service.login(email: "x@example.fi", password: "x", ip: ip) == .rejected)
            }
            #expect(
                try await service.login(email: "x@example.fi", password: "x", ip: "2001:db8:7:8::abcd") == .throttled
            )
            #expect(try await service.login(email: "x@example.fi", password: "x", ip: "2001:db8:7:9::1") == .rejected)
            let throttled = try #require(
                try await f.store.audit.entries(AuditFilter(actionPrefix: "session.login_throttled")).first
            )
            #expect(throttled.ip == "2001:db8:7:8::abcd", "the entry keeps the address itself")
        }
    }

    @Test("a success gives its source slot back", arguments: TestDatabases.engines)
    func successGivesBack(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f, limits: SignInLimits(sourceAttempts: 2))
            let user = try await Self.user(f)
            for _ in 0..<10 {
                #expect(
                    try await service.login(email: user.email, password: Self.password, ip: "192.0.2.8") != .rejected
                )
            }
            #expect(try await service.login(email: user.email, password: "typo", ip: "192.0.2.8") == .rejected)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "192.0.2.8") != .rejected)
            #expect(try await service.login(email: user.email, password: "typo", ip: "192.0.2.8") == .rejected)
            #expect(try await service.login(email: user.email, password: Self.password, ip: "192.0.2.8") == .throttled)
        }
    }

    @Test(
        "locked, throttled and unknown all spend one scrypt check, like a wrong password",
        arguments: TestDatabases.engines
    )
    func sameWorkOnEveryRefusal(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let pool = PasswordHashingPool(threads: 1, queueLimit: 4)
            let service = Self.service(f, limits: SignInLimits(sourceAttempts: 7), pool: pool)
            let user = try await Self.user(f)
            func spends(_ expected: AccountService.LoginOutcome, email: String, password: String) async throws {
                let before = pool.finished
                #expect(try await service.login(email: email, password: password, ip: "192.0.2.9") == expected)
                #expect(pool.finished == before + 1, "\(expected) ran one verification")
            }
            try await spends(.rejected, email: "nobody@example.fi", password: "x")  // unknown
            for attempt in 1...5 { try await spends(.rejected, email: user.email, password: "wrong \(attempt)") }
            try await spends(.rejected, email: user.email, password: Self.password)  // locked
            try await spends(.throttled, email: user.email, password: Self.password)  // source over its limit
        }
    }

    @Test("a full hashing pool answers busy before anything is counted", arguments: TestDatabases.engines)
    func busyCountsNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let pool = PasswordHashingPool(threads: 1, queueLimit: 0, retryAfter: 5)
            let service = Self.service(f, pool: pool)
            let user = try await Self.user(f)
            let held = try #require(pool.admit())
            #expect(try await service.login(email: user.email, password: "x", ip: "192.0.2.10") == .busy(retryAfter: 5))
            #expect(try await f.database.rowCount("login_source_attempts") == 0)
            #expect(try await f.database.rowCount("login_lockouts") == 0)
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 0)
            #expect(try await f.store.audit.entries(AuditFilter()).isEmpty)
            _ = held
        }
    }

    @Test(
        "new passwords (setup, enrolment, change) are hashed on the hashing pool: busy when it is full, nothing used up",
        arguments: TestDatabases.engines
    )
    func newPasswordsHashOnThePool(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let pool = PasswordHashingPool(threads: 1, queueLimit: 0, retryAfter: 5)
            let service = Self.service(f, pool: pool)
            let setup = try #require(await service.setupLinkIfNeeded())
            let user = try await Self.user(f)
            var held = pool.admit()
            #expect(held != nil)
            await #expect(throws: PasswordHashingPool.Busy.self) {
                _ = try await service.completeSetup(
                    token: setup,
                    email: "admin@example.fi",
                    displayName: "Admin",
                    password: "lighthouse keeper 1987",
                    ip: ""
                )
            }
            await #expect(throws: PasswordHashingPool.Busy.self) {
                _ = try await service.changePassword(
                    userID: user.id,
                    current: Self.password,
                    new: "a brand new long pass phrase",
                    ip: ""
                )
            }
            held = nil  // the place is given back
            // The setup link was not used up and the password is unchanged.
            #expect(try await f.store.users.find(id: user.id)?.passwordHash == user.passwordHash)
            let admin = try await service.completeSetup(
                token: setup,
                email: "admin@example.fi",
                displayName: "Admin",
                password: "lighthouse keeper 1987",
                ip: ""
            )
            #expect(admin.role == .admin)
            #expect(pool.finished >= 1)
        }
    }

    @Test(
        "the right password with a second factor owed keeps its count until the code is given",
        arguments: TestDatabases.engines
    )
    func secondFactorOwed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.user(f)
            let secret = TOTP.generateSecret()
            try await f.store.users.setTOTP(userID: user.id, secret: Base32.encode(secret), enabled: true, now: f.now)
            guard
                case .accepted(_, .needsSecondFactor) = try await service.login(
                    email: user.email,
                    password: Self.password,
                    ip: "192.0.2.11"
                )
            else {
                Issue.record("password refused")
                return
            }
            #expect(try await f.store.loginThrottle.lockout(userID: user.id, source: "192.0.2.11")?.failures == 1)
            let code = TOTP(secret: secret).code(at: f.now)
            #expect(try await service.verifySecondFactor(userID: user.id, code: code, ip: "192.0.2.11") == .accepted)
            #expect(try await f.store.loginThrottle.lockout(userID: user.id, source: "192.0.2.11") == nil)
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 0)
        }
    }

    @Test("ended windows and stale lockouts are pruned", arguments: TestDatabases.engines)
    func prune(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await Self.user(f)
            #expect(try await service.login(email: user.email, password: "typo", ip: "192.0.2.12") == .rejected)
            #expect(try await f.store.loginThrottle.prune(now: f.now, window: SignInLimits.standard.sourceWindow) == 0)
            f.clock.advance(2 * 86_400)
            #expect(try await f.store.loginThrottle.prune(now: f.now, window: SignInLimits.standard.sourceWindow) == 2)
            #expect(try await f.database.rowCount("login_source_attempts") == 0)
            #expect(try await f.database.rowCount("login_lockouts") == 0)
        }
    }
}
