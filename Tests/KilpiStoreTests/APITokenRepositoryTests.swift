import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("APITokenRepository")
struct APITokenRepositoryTests {
    @Test("the secret authenticates and records its use", arguments: TestDatabases.engines)
    func authenticate(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (token, secret) = try await f.store.tokens.create(
                name: "CI",
                role: .viewer,
                createdBy: "user:1",
                now: f.now
            )
            #expect(secret.hasPrefix("kilpi_"))
            #expect(token.prefix == String(secret.prefix(12)))
            #expect(token.name == "CI")
            #expect(token.role == .viewer)
            #expect(token.createdBy == "user:1")
            #expect(token.createdAt == f.now)
            #expect(token.lastUsedAt == nil)
            #expect(token.revokedAt == nil)

            f.clock.advance(90)
            let used = try #require(await f.store.tokens.authenticate(secret: secret, now: f.now))
            #expect(used.id == token.id)
            #expect(used.lastUsedAt == f.now)
            #expect(try await f.store.tokens.find(id: token.id)?.lastUsedAt == f.now)

            #expect(try await f.store.tokens.authenticate(secret: secret + "x", now: f.now) == nil)
            #expect(try await f.store.tokens.authenticate(secret: String(secret.dropLast()), now: f.now) == nil)
            #expect(try await f.store.tokens.authenticate(secret: token.prefix, now: f.now) == nil)
        }
    }

    @Test("a revoked token no longer authenticates", arguments: TestDatabases.engines)
    func revoke(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (token, secret) = try await f.store.tokens.create(
                name: "CI",
                role: .admin,
                createdBy: "user:1",
                now: f.now
            )
            let (other, otherSecret) = try await f.store.tokens.create(
                name: "Backup",
                role: .viewer,
                createdBy: "user:1",
                now: f.now
            )
            f.clock.advance(5)
            #expect(try await f.store.tokens.revoke(id: token.id, now: f.now))
            #expect(try await f.store.tokens.revoke(id: token.id, now: f.now) == false, "already revoked")
            #expect(try await f.store.tokens.revoke(id: token.id + 1000, now: f.now) == false, "no such token")
            #expect(try await f.store.tokens.authenticate(secret: secret, now: f.now) == nil)
            #expect(try await f.store.tokens.find(id: token.id)?.revokedAt == f.now)
            #expect(try await f.store.tokens.authenticate(secret: otherSecret, now: f.now)?.id == other.id)
            #expect(try await f.store.tokens.all().map(\.id) == [token.id, other.id])
        }
    }

    @Test("only a hash of the secret is stored", arguments: TestDatabases.engines)
    func storedHashed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (_, secret) = try await f.store.tokens.create(
                name: "CI",
                role: .viewer,
                createdBy: "user:1",
                now: f.now
            )
            let dump = try await f.database.dump("api_tokens")
            #expect(dump.contains(Digest.sha256Hex(secret)), "dump reads the table")
            #expect(!dump.contains("<undecodable>"))
            #expect(!dump.contains(secret))
            #expect(!dump.contains(String(secret.dropFirst("kilpi_".count))))
        }
    }
}
