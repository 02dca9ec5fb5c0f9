import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("SessionRepository")
struct SessionRepositoryTests {
    static let idle: TimeInterval = 30 * 60
    static let absolute: TimeInterval = 12 * 60 * 60

    @Test("a new session is found by its cookie id, with its stage and CSRF token", arguments: TestDatabases.engines)
    func createAndFind(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let (id, session) = try await f.store.sessions.create(
                userID: user.id,
                stage: .needsSecondFactor,
                ip: "192.0.2.1",
                now: f.now,
                absoluteLifetime: Self.absolute
            )
            #expect(session.userID == user.id)
            #expect(session.stage == .needsSecondFactor)
            #expect(session.expiresAt == f.now.addingTimeInterval(Self.absolute))
            #expect(session.csrfToken.count >= 43)
            #expect(session.csrfToken != id)
            let found = try #require(await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle))
            #expect(found == session)
            #expect(try await f.store.sessions.find(id: id + "x", now: f.now, idleTimeout: Self.idle) == nil)
            #expect(try await f.store.sessions.count(userID: user.id) == 1)
        }
    }

    @Test("a session idle for more than 30 minutes is gone, and deleted", arguments: TestDatabases.engines)
    func idleExpiry(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let (id, _) = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: Self.absolute
            )
            f.clock.advance(Self.idle + 1)
            #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle) == nil)
            #expect(try await f.store.sessions.count(userID: user.id) == 0)
            // Once gone it stays gone, even if asked about at an earlier time.
            #expect(
                try await f.store.sessions.find(
                    id: id,
                    now: f.now.addingTimeInterval(-Self.idle),
                    idleTimeout: Self.idle
                ) == nil
            )
        }
    }

    @Test("each use extends the idle window", arguments: TestDatabases.engines)
    func touchExtends(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let (id, _) = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: Self.absolute
            )
            let start = f.now
            for _ in 0..<4 {
                f.clock.advance(25 * 60)
                let found = try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle)
                #expect(found != nil, "used within the idle window at +\(Int(f.now.timeIntervalSince(start)) / 60) min")
            }
            // 100 minutes after creation, far past one idle window, yet alive: the touches counted.
            #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle)?.lastSeenAt == f.now)
            f.clock.advance(Self.idle + 1)
            #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle) == nil)
        }
    }

    @Test(
        "a look-up writes last_seen_at at most once a minute, so page views do not queue behind the writer",
        arguments: TestDatabases.engines
    )
    func lookUpsReadWithoutWriting(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let (id, _) = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: Self.absolute
            )
            let created = f.now
            for _ in 0..<5 {
                f.clock.advance(10)
                #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle) != nil)
            }
            // 50 s of use: not written yet.
            #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle)?.lastSeenAt == created)
            f.clock.advance(SQLSessionRepository.lastSeenResolution)
            _ = try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle)
            #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle)?.lastSeenAt == f.now)
        }
    }

    @Test("the absolute lifetime ends a session however busy it is", arguments: TestDatabases.engines)
    func absoluteExpiry(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let lifetime: TimeInterval = 60 * 60
            let (id, _) = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: lifetime
            )
            for _ in 0..<5 {
                f.clock.advance(10 * 60)
                #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle) != nil)
            }
            f.clock.advance(10 * 60)  // exactly the absolute lifetime
            #expect(try await f.store.sessions.find(id: id, now: f.now, idleTimeout: Self.idle) == nil)
            #expect(try await f.store.sessions.count(userID: user.id) == 0)
        }
    }

    @Test("delete ends one session; deleteAll ends all of one user's", arguments: TestDatabases.engines)
    func deleting(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let anna = try await f.user("anna@example.fi")
            let bertta = try await f.user("bertta@example.fi")
            var annas: [String] = []
            for _ in 0..<3 {
                annas.append(
                    try await f.store.sessions.create(
                        userID: anna.id,
                        stage: .complete,
                        ip: "",
                        now: f.now,
                        absoluteLifetime: Self.absolute
                    ).id
                )
            }
            let berttas = try await f.store.sessions.create(
                userID: bertta.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: Self.absolute
            ).id

            try await f.store.sessions.delete(id: annas[0])
            #expect(try await f.store.sessions.find(id: annas[0], now: f.now, idleTimeout: Self.idle) == nil)
            #expect(try await f.store.sessions.count(userID: anna.id) == 2)

            #expect(try await f.store.sessions.deleteAll(userID: anna.id) == 2)
            #expect(try await f.store.sessions.count(userID: anna.id) == 0)
            #expect(try await f.store.sessions.find(id: annas[1], now: f.now, idleTimeout: Self.idle) == nil)
            #expect(try await f.store.sessions.deleteAll(userID: anna.id) == 0)
            // The other user is untouched.
            #expect(try await f.store.sessions.find(id: berttas, now: f.now, idleTimeout: Self.idle) != nil)
        }
    }

    @Test("the database holds a hash of the session id, never the cookie value", arguments: TestDatabases.engines)
    func storedHashed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let (id, _) = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "192.0.2.1",
                now: f.now,
                absoluteLifetime: Self.absolute
            )
            let dump = try await f.database.dump("staff_sessions")
            #expect(dump.contains(Digest.sha256Hex(id)), "dump reads the table")
            #expect(dump.contains("192.0.2.1"))
            #expect(!dump.contains("<undecodable>"))
            #expect(!dump.contains(id))
        }
    }
}
