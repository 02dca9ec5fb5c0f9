import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import ServiceLifecycle
import Testing

@Suite("Sweeper")
struct SweeperTests {
    static let idle: TimeInterval = 30 * 60
    static let absolute: TimeInterval = 12 * 60 * 60

    static func hashes(_ table: String, _ column: String, in database: Database) async throws -> Set<String> {
        try await database.read { sql in
            Set(
                try await sql.raw("SELECT \(unsafeRaw: column) AS h FROM \(unsafeRaw: table)").all()
                    .map { try $0.decode(column: "h", as: String.self) }
            )
        }
    }

    @Test(
        "one pass removes expired and idle sessions and expired links, and keeps the live ones",
        arguments: TestDatabases.engines
    )
    func pass(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let start = f.now
            func session(at: Date) async throws -> String {
                try await f.store.sessions.create(
                    userID: user.id,
                    stage: .complete,
                    ip: "192.0.2.1",
                    now: at,
                    absoluteLifetime: Self.absolute
                ).id
            }
            // Started 13 hours ago: past its absolute lifetime, although used a minute ago.
            let old = try await session(at: start.addingTimeInterval(-13 * 3600))
            try await f.database.execute(
                "UPDATE staff_sessions SET last_seen_at = \(bind: start.addingTimeInterval(-60).epochMilliseconds) WHERE id_hash = \(bind: Digest.sha256Hex(old))"
            )
            // Last used 31 minutes ago: idle too long.
            let idle = try await session(at: start.addingTimeInterval(-31 * 60))
            // Used 29 minutes ago, and just now.
            let recent = try await session(at: start.addingTimeInterval(-29 * 60))
            let fresh = try await session(at: start)

            let expiredLink = try await f.store.links.create(
                purpose: .enrol,
                userID: user.id,
                validFor: 3600,
                now: start.addingTimeInterval(-3601)
            )
            let liveLink = try await f.store.links.create(purpose: .enrol, userID: user.id, validFor: 3600, now: start)
            let usedLink = try await f.store.links.create(
                purpose: .setup,
                userID: nil,
                validFor: 3600,
                now: start.addingTimeInterval(-7200)
            )
            _ = try await f.store.links.consume(
                token: usedLink,
                purpose: .setup,
                now: start.addingTimeInterval(-7000)
            )

            let sweeper = Sweeper(database: f.database, sessionIdleTimeout: Self.idle, now: f.clock.source)
            let result = await sweeper.sweep()
            #expect(result == ["sessions": 2, "links": 2])
            #expect(
                try await Self.hashes("staff_sessions", "id_hash", in: f.database)
                    == [Digest.sha256Hex(recent), Digest.sha256Hex(fresh)]
            )
            #expect(
                try await Self.hashes("one_time_links", "token_hash", in: f.database) == [Digest.sha256Hex(liveLink)]
            )
            _ = (old, idle, expiredLink)
            #expect(try await f.store.sessions.find(id: fresh, now: f.now, idleTimeout: Self.idle) != nil)

            // Nothing left to do: a second pass removes nothing. Two minutes later the 29-minute session is idle too.
            #expect(await sweeper.sweep() == ["sessions": 0, "links": 0])
            f.clock.advance(2 * 60)
            #expect(await sweeper.sweep() == ["sessions": 1, "links": 0])
            #expect(try await Self.hashes("staff_sessions", "id_hash", in: f.database) == [Digest.sha256Hex(fresh)])
        }
    }

    @Test(
        "as a service it sweeps at start, then stops at graceful shutdown without waiting for its next pass",
        .timeLimit(.minutes(5))
    )
    func runsAndStops() async throws {
        try await withFixture(.sqlite) { f in
            let user = try await f.user()
            _ = try await f.store.sessions.create(
                userID: user.id,
                stage: .complete,
                ip: "192.0.2.1",
                now: f.now.addingTimeInterval(-13 * 3600),
                absoluteLifetime: Self.absolute
            )
            let passes = AsyncStream.makeStream(of: Sweeper.Pass.self)
            let sweeper = Sweeper(
                database: f.database,
                sessionIdleTimeout: Self.idle,
                now: f.clock.source,
                interval: .seconds(24 * 3600),
                logger: TestDatabases.quietLogger,
                onPass: { passes.continuation.yield($0) }
            )
            let group = ServiceGroup(
                configuration: .init(services: [sweeper], logger: TestDatabases.quietLogger)
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = passes.stream.makeAsyncIterator()
                #expect(await iterator.next() == ["sessions": 1, "links": 0])
                // Now it sleeps for a day; shutdown must end the wait.
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(try await f.database.rowCount("staff_sessions") == 0)
        }
    }

    @Test("cancelling the task ends the service too", .timeLimit(.minutes(5)))
    func stopsOnCancellation() async throws {
        try await withFixture(.sqlite) { f in
            let passes = AsyncStream.makeStream(of: Sweeper.Pass.self)
            let sweeper = Sweeper(
                database: f.database,
                sessionIdleTimeout: Self.idle,
                now: f.clock.source,
                interval: .seconds(24 * 3600),
                logger: TestDatabases.quietLogger,
                onPass: { passes.continuation.yield($0) }
            )
            let task = Task { try await sweeper.run() }
            var iterator = passes.stream.makeAsyncIterator()
            #expect(await iterator.next() == ["sessions": 0, "links": 0])
            task.cancel()
            try await task.value
        }
    }

    /// Chores that open their own transaction (the audit log's anonymous counts, the sign-in counters) run beside
    /// the one-statement chores, on SQLite without the writer waiting on itself.
    @Test(arguments: TestDatabases.engines)
    func choresWithTheirOwnTransactionRun(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let event = AuditEvent(actor: "anonymous", action: .sessionLoginFailed, ip: "192.0.2.3")
            for _ in 0..<4 { try await f.store.audit.append(event, now: f.now) }
            let audit = f.store.audit
            let sweeper = Sweeper(
                database: f.database,
                sessionIdleTimeout: Self.idle,
                now: { f.clock.now.addingTimeInterval(120) },
                more: [
                    f.store.loginThrottle.pruneChore(window: 15 * 60),
                    Sweeper.Chore(name: "audit") { now in try await audit.flushAnonymousCounts(now: now) },
                ]
            )
            let pass = await sweeper.sweep()
            #expect(pass["audit"] == 1, "the finished minute's count is chained")
            #expect(pass["sign-in counters"] == 0)
            #expect(pass["sessions"] == 0 && pass["links"] == 0)
            #expect(try await f.store.audit.verify().isIntact)
        }
    }
}
