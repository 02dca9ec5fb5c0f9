import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Reference codes are sealed and indexed by the vault: a key rotation re-seals them, and a key cannot be retired
/// while a code still needs it.
@Suite struct NoticeKeyRotationTests {
    @Test(arguments: TestDatabases.engines)
    func rotationResealsCodesAndTheirIndex(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (w, campaign) = try await NoticeOutboxTests.running(f)
            let before = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 1, now: f.now)
            let newRing = f.store.vault.ring.adding()
            let oldKey = f.store.vault.ring.current.id
            #expect(
                try await KeyRetirement.usage(of: oldKey, in: f.database).contains {
                    $0.column == "notice_outbox.code_sealed"
                }
            )
            _ = try await KeyRotation(database: f.database, vault: Vault(ring: newRing), batchSize: 3).run()
            #expect(
                !(try await KeyRetirement.usage(of: oldKey, in: f.database).contains {
                    $0.column == "notice_outbox.code_sealed"
                })
            )
            // With the old key gone, codes still open for the workers and still check on the trust center.
            let store = Store(database: f.database, vault: Vault(ring: newRing.retiringOldKeys()))
            f.clock.advance(5)
            let after = try await store.outbox.claim(worker: "b", limit: 10, leaseSeconds: 1, now: f.now)
            #expect(
                Dictionary(uniqueKeysWithValues: after.map { ($0.rowID, $0.referenceCode) })
                    == Dictionary(uniqueKeysWithValues: before.map { ($0.rowID, $0.referenceCode) })
            )
            #expect(try await store.outbox.isGenuine(code: before[0].referenceCode))
            _ = (w, campaign)
        }
    }
}

extension KeyRetirement {
    static func usage(of keyID: String, in database: Database) async throws -> [(column: String, count: Int)] {
        try await database.withConnection { sql in try await usage(of: keyID, in: sql) }
    }
}
