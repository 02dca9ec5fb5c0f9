import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("RecoveryCodeRepository")
struct RecoveryCodeRepositoryTests {
    @Test("ten distinct codes, each usable once", arguments: TestDatabases.engines)
    func singleUse(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let codes = try await f.store.recoveryCodes.regenerate(userID: user.id)
            #expect(codes.count == 10)
            #expect(Set(codes).count == 10)
            #expect(try await f.store.recoveryCodes.remaining(userID: user.id) == 10)

            for (index, code) in codes.enumerated() {
                #expect(try await f.store.recoveryCodes.consume(userID: user.id, code: code, now: f.now))
                #expect(
                    try await f.store.recoveryCodes.consume(userID: user.id, code: code, now: f.now) == false,
                    "code \(index) reused"
                )
                #expect(try await f.store.recoveryCodes.remaining(userID: user.id) == 9 - index)
            }
        }
    }

    @Test("codes typed in upper case, with spaces instead of dashes, still match", arguments: TestDatabases.engines)
    func normalisedInput(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let codes = try await f.store.recoveryCodes.regenerate(userID: user.id)
            let spaced = codes[0].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(spaced != codes[0])
            #expect(try await f.store.recoveryCodes.consume(userID: user.id, code: spaced, now: f.now))
            #expect(
                try await f.store.recoveryCodes.consume(userID: user.id, code: codes[0], now: f.now) == false,
                "same code, other spelling"
            )
            let squashed = " " + codes[1].replacingOccurrences(of: "-", with: "").uppercased() + "\t"
            #expect(try await f.store.recoveryCodes.consume(userID: user.id, code: squashed, now: f.now))
            #expect(
                try await f.store.recoveryCodes.consume(userID: user.id, code: "aaaa-bbbb-cccc", now: f.now) == false
            )
            #expect(try await f.store.recoveryCodes.remaining(userID: user.id) == 8)
        }
    }

    @Test("codes belong to one user", arguments: TestDatabases.engines)
    func perUser(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let anna = try await f.user("anna@example.fi")
            let bertta = try await f.user("bertta@example.fi")
            let annas = try await f.store.recoveryCodes.regenerate(userID: anna.id)
            _ = try await f.store.recoveryCodes.regenerate(userID: bertta.id)
            #expect(try await f.store.recoveryCodes.consume(userID: bertta.id, code: annas[0], now: f.now) == false)
            #expect(try await f.store.recoveryCodes.remaining(userID: bertta.id) == 10)
            #expect(try await f.store.recoveryCodes.consume(userID: anna.id, code: annas[0], now: f.now))
        }
    }

    @Test("regenerating invalidates every old code", arguments: TestDatabases.engines)
    func regenerate(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let old = try await f.store.recoveryCodes.regenerate(userID: user.id)
            #expect(try await f.store.recoveryCodes.consume(userID: user.id, code: old[0], now: f.now))
            let new = try await f.store.recoveryCodes.regenerate(userID: user.id)
            #expect(Set(old).isDisjoint(with: new))
            #expect(try await f.store.recoveryCodes.remaining(userID: user.id) == 10)
            for code in old {
                #expect(try await f.store.recoveryCodes.consume(userID: user.id, code: code, now: f.now) == false)
            }
            #expect(try await f.store.recoveryCodes.consume(userID: user.id, code: new[9], now: f.now))
        }
    }

    @Test("codes are stored hashed", arguments: TestDatabases.engines)
    func storedHashed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let user = try await f.user()
            let codes = try await f.store.recoveryCodes.regenerate(userID: user.id)
            let dump = try await f.database.dump("recovery_codes")
            #expect(dump.contains(RecoveryCodes.hash(codes[0])), "dump reads the table")
            #expect(!dump.contains("<undecodable>"))
            for code in codes {
                #expect(!dump.contains(code))
                #expect(!dump.contains(RecoveryCodes.normalize(code)))
            }
        }
    }
}
