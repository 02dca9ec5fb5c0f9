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
            try await f.store.users.setRole(userID: user.id, role: .admin, now: f.now)
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
        "failed logins count up and lock by the schedule; a successful login resets them",
        arguments: TestDatabases.engines
    )
    func failedAndSuccessfulLogins(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let other = try await f.user("other@example.fi")
            let users = f.store.users
            let schedule: @Sendable (Int) -> TimeInterval? = { $0 >= 3 ? 30 * Double($0) : nil }
            #expect(try await users.recordFailedLogin(userID: user.id, now: f.now, lockout: schedule) == 1)
            #expect(try await users.recordFailedLogin(userID: user.id, now: f.now, lockout: schedule) == 2)
            #expect(try await users.find(id: user.id)?.lockedUntil == nil)
            #expect(try await users.recordFailedLogin(userID: user.id, now: f.now, lockout: schedule) == 3)
            var stored = try #require(await users.find(id: user.id))
            #expect(stored.failedLogins == 3)
            #expect(stored.lockedUntil == f.now.addingTimeInterval(90))
            #expect(stored.lastLoginAt == nil)
            #expect(try await users.find(id: other.id) == other, "only the addressed account")

            f.clock.advance(100)
            try await users.recordSuccessfulLogin(userID: user.id, now: f.now)
            stored = try #require(await users.find(id: user.id))
            #expect(stored.failedLogins == 0)
            #expect(stored.lockedUntil == nil)
            #expect(stored.lastLoginAt == f.now)
            #expect(try await users.recordFailedLogin(userID: user.id, now: f.now, lockout: schedule) == 1)
            #expect(try await users.find(id: user.id)?.lockedUntil == nil)
        }
    }

    @Test(
        "failures racing in parallel each get their own count, and the lock follows the highest",
        arguments: TestDatabases.engines
    )
    func failedLoginsInParallel(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await f.store.users.recordFailedLogin(userID: user.id, now: f.now, lockout: { Double($0) })
                    }
                }
                var counts: [Int] = []
                for try await count in group { counts.append(count) }
                return counts
            }
            #expect(counts.sorted() == Array(1...20))
            let stored = try #require(await f.store.users.find(id: user.id))
            #expect(stored.failedLogins == 20)
            #expect(stored.lockedUntil == f.now.addingTimeInterval(20))
        }
    }
}
