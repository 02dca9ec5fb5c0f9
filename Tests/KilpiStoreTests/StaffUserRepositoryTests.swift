import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("StaffUserRepository")
struct StaffUserRepositoryTests {
    @Test("create, then find by id and by email in any case", arguments: TestDatabases.engines)
    func createAndFind(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let created = try await f.store.users.create(
                email: "  Anna.Virtanen@Example.FI ",
                displayName: "Anna Virtanen",
                role: .communicator,
                status: .pending,
                now: f.now
            )
            #expect(created.email == "anna.virtanen@example.fi")
            #expect(created.displayName == "Anna Virtanen")
            #expect(created.role == .communicator)
            #expect(created.status == .pending)
            #expect(created.passwordHash == nil)
            #expect(created.totpEnabled == false)
            #expect(created.failedLogins == 0)
            #expect(created.createdAt == f.now)

            #expect(try await f.store.users.find(id: created.id) == created)
            #expect(try await f.store.users.find(email: "ANNA.VIRTANEN@EXAMPLE.FI") == created)
            #expect(try await f.store.users.find(email: "anna.virtanen@example.fi\n") == created)
            #expect(try await f.store.users.find(email: "anna@example.fi") == nil)
            #expect(try await f.store.users.find(id: created.id + 1000) == nil)
        }
    }

    @Test("a second account with the same email, in other case, is a conflict", arguments: TestDatabases.engines)
    func duplicateEmail(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await f.user("anna@example.fi")
            let error = await #expect(throws: DatabaseError.self) {
                try await f.store.users.create(
                    email: "ANNA@example.fi",
                    displayName: "Other",
                    role: .viewer,
                    status: .active,
                    now: f.now
                )
            }
            #expect(error?.isConflict == true)
            #expect(try await f.store.users.count(role: nil, status: nil) == 1)
            // The connection is still usable after the failed insert (PostgreSQL aborts only that statement).
            _ = try await f.user("bertta@example.fi")
            #expect(try await f.store.users.count(role: nil, status: nil) == 2)
        }
    }

    @Test("all() is ordered by email and count() filters by role and status", arguments: TestDatabases.engines)
    func listAndCount(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await f.user("cecilia@example.fi", role: .admin, status: .active)
            _ = try await f.user("aatu@example.fi", role: .admin, status: .disabled)
            _ = try await f.user("bertta@example.fi", role: .viewer, status: .active)
            #expect(
                try await f.store.users.all().map(\.email) == [
                    "aatu@example.fi", "bertta@example.fi", "cecilia@example.fi",
                ]
            )
            #expect(try await f.store.users.count(role: nil, status: nil) == 3)
            #expect(try await f.store.users.count(role: .admin, status: nil) == 2)
            #expect(try await f.store.users.count(role: .admin, status: .active) == 1)
            #expect(try await f.store.users.count(role: nil, status: .active) == 2)
            #expect(try await f.store.users.count(role: .agent, status: nil) == 0)
        }
    }

    @Test("password, status, role and TOTP setters persist", arguments: TestDatabases.engines)
    func setters(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user(status: .pending)
            let other = try await f.user("other@example.fi", role: .viewer)
            f.clock.advance(60)
            try await f.store.users.setPassword(userID: user.id, hash: "$scrypt$test", now: f.now)
            try await f.store.users.setStatus(userID: user.id, status: .active, now: f.now)
            try await f.store.database.transaction { sql in
                try await f.store.users.setRole(userID: user.id, role: .admin, now: f.now, in: sql)
            }
            try await f.store.users.setTOTP(userID: user.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, now: f.now)

            let updated = try #require(await f.store.users.find(id: user.id))
            #expect(updated.passwordHash == "$scrypt$test")
            #expect(updated.status == .active)
            #expect(updated.role == .admin)
            #expect(updated.totpSecret == "JBSWY3DPEHPK3PXP")
            #expect(updated.totpEnabled)
            #expect(updated.createdAt == user.createdAt)
            // Only the addressed row changed.
            #expect(try await f.store.users.find(id: other.id) == other)

            try await f.store.users.setTOTP(userID: user.id, secret: nil, enabled: false, now: f.now)
            let cleared = try #require(await f.store.users.find(id: user.id))
            #expect(cleared.totpSecret == nil)
            #expect(cleared.totpEnabled == false)
        }
    }

    @Test("a TOTP step is accepted only when newer than the last one used", arguments: TestDatabases.engines)
    func totpReplay(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let other = try await f.user("other@example.fi")
            let users = f.store.users
            #expect(try await users.consumeTOTPStep(userID: user.id, step: 1000))
            #expect(try await users.consumeTOTPStep(userID: user.id, step: 1000) == false, "same step replayed")
            #expect(try await users.consumeTOTPStep(userID: user.id, step: 999) == false, "older step")
            #expect(try await users.find(id: user.id)?.totpLastStep == 1000)
            #expect(try await users.consumeTOTPStep(userID: user.id, step: 1001))
            #expect(try await users.find(id: user.id)?.totpLastStep == 1001)
            // Steps are per user.
            #expect(try await users.consumeTOTPStep(userID: other.id, step: 1000))
            // Unknown user: nothing to record.
            #expect(try await users.consumeTOTPStep(userID: user.id + 1000, step: 5000) == false)
            // A new secret starts afresh.
            try await users.setTOTP(userID: user.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, now: f.now)
            #expect(try await users.find(id: user.id)?.totpLastStep == nil)
            #expect(try await users.consumeTOTPStep(userID: user.id, step: 5))
        }
    }

    @Test("concurrent use of one TOTP step: exactly one wins", arguments: TestDatabases.engines)
    func totpConcurrent(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await f.store.users.consumeTOTPStep(userID: user.id, step: 77) } }
                var wins = 0
                for try await won in group where won { wins += 1 }
                return wins
            }
            #expect(wins == 1)
        }
    }

    @Test(
        "an attempt's slot counts per source and overall, locks by each schedule; a success resets the overall count",
        arguments: TestDatabases.engines
    )
    func accountSlots(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let other = try await f.user("other@example.fi")
            let throttle = f.store.loginThrottle
            let limits = SignInLimits(
                perSource: LockoutSchedule(startsAt: 3, delays: [90]),
                perAccount: LockoutSchedule(startsAt: 5, delays: [600])
            )
            func take(_ source: String) async throws -> LoginThrottleRepository.AccountSlot? {
                try await throttle.takeAccountSlot(userID: user.id, source: source, now: f.now, limits: limits)
            }
            #expect(try await take("a") == .init(fromSource: 1, overall: 1))
            #expect(try await take("a") == .init(fromSource: 2, overall: 2))
            #expect(try await throttle.lockout(userID: user.id, source: "a")?.lockedUntil == nil)
            #expect(try await take("a") == .init(fromSource: 3, overall: 3))
            #expect(
                try await throttle.lockout(userID: user.id, source: "a")
                    == .init(failures: 3, lockedUntil: f.now.addingTimeInterval(90))
            )
            #expect(try await take("a") == nil, "locked from a")
            #expect(try await take("b") == .init(fromSource: 1, overall: 4), "b is not")
            #expect(try await take("b") == .init(fromSource: 2, overall: 5))
            var stored = try #require(await f.store.users.find(id: user.id))
            #expect(stored.failedLogins == 5)
            #expect(stored.lockedUntil == f.now.addingTimeInterval(600))
            #expect(try await take("c") == nil, "the ceiling locks every source")
            #expect(try await throttle.lockout(userID: user.id, source: "c") == nil, "and counts nothing there")
            #expect(try await f.store.users.find(id: other.id) == other, "only the addressed account")

            f.clock.advance(601)
            try await f.store.users.recordSuccessfulLogin(userID: user.id, now: f.now)
            try await throttle.clear(userID: user.id, source: "b")
            stored = try #require(await f.store.users.find(id: user.id))
            #expect(stored.failedLogins == 0)
            #expect(stored.lockedUntil == nil)
            #expect(stored.lastLoginAt == f.now)
            #expect(try await throttle.lockout(userID: user.id, source: "b") == nil)
            #expect(try await throttle.lockout(userID: user.id, source: "a")?.failures == 3, "a's run is a's")
            #expect(try await take("a") == .init(fromSource: 4, overall: 1))
        }
    }

    @Test(
        "slots taken in parallel: exactly as many as the schedule allows, each with its own count",
        arguments: TestDatabases.engines
    )
    func accountSlotsInParallel(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let limits = SignInLimits(perSource: LockoutSchedule(startsAt: 7, delays: [60]))
            let slots = try await withThrowingTaskGroup(of: LoginThrottleRepository.AccountSlot?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await f.store.loginThrottle.takeAccountSlot(
                            userID: user.id,
                            source: "s",
                            now: f.now,
                            limits: limits
                        )
                    }
                }
                var slots: [LoginThrottleRepository.AccountSlot?] = []
                for try await slot in group { slots.append(slot) }
                return slots
            }
            #expect(slots.compactMap { $0?.fromSource }.sorted() == Array(1...7))
            #expect(slots.filter { $0 == nil }.count == 43)
            let lockout = try #require(try await f.store.loginThrottle.lockout(userID: user.id, source: "s"))
            #expect(lockout == .init(failures: 7, lockedUntil: f.now.addingTimeInterval(60)))
            #expect(try await f.store.users.find(id: user.id)?.failedLogins == 7)
        }
    }

    @Test(
        "a source's window takes slots up to its limit, in parallel too, and a new window starts afresh",
        arguments: TestDatabases.engines
    )
    func sourceSlots(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let throttle = f.store.loginThrottle
            let granted = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await throttle.takeSourceSlot(source: "s", now: f.now, limit: 9, window: 900)?.attempts
                    }
                }
                var granted: [Int?] = []
                for try await slot in group { granted.append(slot) }
                return granted
            }
            #expect(granted.compactMap { $0 }.sorted() == Array(1...9))
            #expect(try await throttle.takeSourceSlot(source: "other", now: f.now, limit: 9, window: 900) != nil)
            f.clock.advance(900)
            let fresh = try #require(try await throttle.takeSourceSlot(source: "s", now: f.now, limit: 9, window: 900))
            #expect(fresh.attempts == 1)
            try await throttle.giveBack(fresh)
            #expect(try await throttle.takeSourceSlot(source: "s", now: f.now, limit: 9, window: 900)?.attempts == 1)
        }
    }
}
