import Foundation
import KilpiCore
import KilpiTestSupport
import Testing

@testable import KilpiStore

@Suite("OneTimeLinkRepository")
struct OneTimeLinkRepositoryTests {
    @Test("a link is consumed once; peeking does not use it up", arguments: TestDatabases.engines)
    func singleUse(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user(status: .pending)
            let links = f.store.links
            let token = try await links.create(purpose: .enrol, userID: user.id, validFor: 3600, now: f.now)
            #expect(token.count >= 43, "256 random bits")
            let expected = OneTimeLink(purpose: .enrol, userID: user.id, expiresAt: f.now.addingTimeInterval(3600))

            #expect(try await links.peek(token: token, purpose: .enrol, now: f.now) == expected)
            #expect(try await links.peek(token: token, purpose: .enrol, now: f.now) == expected)
            f.clock.advance(10)
            #expect(try await links.consume(token: token, purpose: .enrol, now: f.now) == expected)
            #expect(try await links.consume(token: token, purpose: .enrol, now: f.now) == nil)
            #expect(try await links.peek(token: token, purpose: .enrol, now: f.now) == nil)
        }
    }

    @Test("two concurrent consumers of one link: exactly one gets it", arguments: TestDatabases.engines)
    func concurrentConsume(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let token = try await f.store.links.create(purpose: .setup, userID: nil, validFor: 3600, now: f.now)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await f.store.links.consume(token: token, purpose: .setup, now: f.now) != nil }
                }
                var count = 0
                for try await won in group where won { count += 1 }
                return count
            }
            #expect(winners == 1)
        }
    }

    @Test("an expired link is refused", arguments: TestDatabases.engines)
    func expired(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let links = f.store.links
            let token = try await links.create(purpose: .setup, userID: nil, validFor: 3600, now: f.now)
            let late = f.now.addingTimeInterval(3600)
            #expect(try await links.peek(token: token, purpose: .setup, now: late) == nil)
            #expect(try await links.consume(token: token, purpose: .setup, now: late) == nil)
            #expect(try await links.consume(token: token, purpose: .setup, now: late.addingTimeInterval(86_400)) == nil)
            // Still good a moment before expiry: the refusals above were about time, not the token.
            let justInTime = f.now.addingTimeInterval(3599)
            #expect(try await links.consume(token: token, purpose: .setup, now: justInTime)?.purpose == .setup)
        }
    }

    @Test("a link works only for its own purpose, and a wrong try does not use it up", arguments: TestDatabases.engines)
    func wrongPurpose(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user(status: .pending)
            let links = f.store.links
            let token = try await links.create(purpose: .enrol, userID: user.id, validFor: 3600, now: f.now)
            #expect(try await links.peek(token: token, purpose: .setup, now: f.now) == nil)
            #expect(try await links.consume(token: token, purpose: .setup, now: f.now) == nil)
            #expect(try await links.consume(token: "not-" + token, purpose: .enrol, now: f.now) == nil)
            #expect(try await links.consume(token: token, purpose: .enrol, now: f.now)?.userID == user.id)
        }
    }

    @Test("only a hash of the token is stored", arguments: TestDatabases.engines)
    func storedHashed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user(status: .pending)
            let enrol = try await f.store.links.create(purpose: .enrol, userID: user.id, validFor: 3600, now: f.now)
            let setup = try await f.store.links.create(purpose: .setup, userID: nil, validFor: 3600, now: f.now)
            #expect(enrol != setup)
            let dump = try await f.database.dump("one_time_links")
            #expect(
                dump.contains(Digest.sha256Hex(enrol)) && dump.contains(Digest.sha256Hex(setup)),
                "dump reads the table"
            )
            #expect(!dump.contains("<undecodable>"))
            #expect(!dump.contains(enrol))
            #expect(!dump.contains(setup))
        }
    }
}
