import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The audit log's upgrade to a keyed chain, its checkpoint, and counted anonymous events.
@Suite("AuditLog upgrade, checkpoint and anonymous counts")
struct AuditUpgradeCheckpointTests {
    // MARK: - Upgrading a log from before the audit key

    /// Writes `count` plain SHA-256 entries the way Kilpi did before migration 10 (no chain column yet).
    static func writeLegacyEntries(_ database: Database, count: Int) async throws -> [String] {
        var previous = AuditChain.genesis
        var hashes: [String] = []
        for id in 1...Int64(count) {
            let at = 1_800_000_000_000 + id * 1000
            let hash = AuditChain.hash(
                id: id,
                atMilliseconds: at,
                actor: "user:1",
                action: "legacy.step",
                target: "",
                ip: "192.0.2.1",
                detail: "old \(id)",
                previousHash: previous
            )
            try await database.execute(
                """
                INSERT INTO audit_log (id, at, actor, action, target, ip, detail, prev_hash, hash)
                VALUES (\(bind: id), \(bind: at), 'user:1', 'legacy.step', '', '192.0.2.1', \(bind: "old \(id)"),
                        \(bind: previous), \(bind: hash))
                """
            )
            hashes.append(hash)
            previous = hash
        }
        return hashes
    }

    /// Holds what `AuditKeyUpgrade` saved, standing in for the key file.
    final class SavedRing: @unchecked Sendable {
        private let lock = NSLock()
        private var ring: KeyRing
        init(_ ring: KeyRing) { self.ring = ring }
        var current: KeyRing {
            get { lock.withLock { ring } }
            set { lock.withLock { ring = newValue } }
        }
    }

    @Test("a log from before the audit key continues keyed from a marked point", arguments: TestDatabases.engines)
    func upgrade(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { database in
            try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 10 }).migrate()
            _ = try await Self.writeLegacyEntries(database, count: 3)
            try await Migrator(database: database).migrate()

            // A key file from before the audit key: no @audit line.
            let legacyRing = try KeyRing(parsing: "k1 \(String(repeating: "A", count: 43))=")
            #expect(legacyRing.audit == nil)
            let file = SavedRing(legacyRing)
            let ring = try await AuditKeyUpgrade.prepare(
                legacyRing,
                database: database,
                reload: { file.current },
                save: { file.current = $0 }
            )
            let key = try #require(ring.audit)
            #expect(key.sha256Until == 3)
            #expect(file.current.audit == key, "saved before use")
            #expect(try KeyRing(parsing: file.current.serialized()).audit == key, "the key file line reads back")

            let store = Store(database: database, vault: Vault(ring: ring))
            try await store.audit.append(
                AuditEvent(actor: "user:1", action: AuditAction(rawValue: "test.after")),
                now: Date()
            )
            let entries = try await store.audit.entries(AuditFilter()).reversed().map { $0 }
            #expect(
                entries.map(\.action) == [
                    "legacy.step", "legacy.step", "legacy.step", "audit.chain_keyed",
                    "audit.key_added", "test.after",
                ]
            )
            #expect(entries.map(\.chain) == [.sha256, .sha256, .sha256, .hmacSHA256, .hmacSHA256, .hmacSHA256])
            let result = try await store.audit.verify()
            #expect(result.isIntact, "\(String(describing: result.problem))")
            #expect(result.checked == 6)

            // Running it again (the next start) keeps the key; a vault rotation keeps it too.
            let again = try await AuditKeyUpgrade.prepare(
                file.current,
                database: database,
                reload: { file.current },
                save: { _ in Issue.record("saved again") }
            )
            #expect(again.audit == key)
            #expect(again.adding().retiringOldKeys().audit == key)

            // Another process that still holds the old ring finds the saved key instead of making its own.
            let late = try await AuditKeyUpgrade.prepare(
                legacyRing,
                database: database,
                reload: { file.current },
                save: { _ in Issue.record("saved a second key") }
            )
            #expect(late.audit == key)
            // An old copy of the key file, once the log is keyed, is refused rather than given a new key.
            await #expect(throws: AuditKeyError.self) {
                try await AuditKeyUpgrade.prepare(
                    legacyRing,
                    database: database,
                    reload: { legacyRing },
                    save: { _ in Issue.record("saved a key for a keyed log") }
                )
            }
            // So is a key file from another installation.
            await #expect(throws: AuditKeyError.self) {
                try await AuditKeyUpgrade.prepare(
                    try KeyRing(keys: legacyRing.keys, audit: .generate(sha256Until: 3)),
                    database: database,
                    reload: { legacyRing },
                    save: { _ in }
                )
            }

            // The old entries are now pinned: one rewritten with plain hashes recomputed up to the marked
            // point breaks the link into the first keyed entry.
            try await database.execute("UPDATE audit_log SET detail = 'rewritten' WHERE id = 2")
            var previous = try #require(await store.audit.entries(AuditFilter(beforeID: 2, limit: 1)).first).hash
            for entry in try await store.audit.entries(AuditFilter(beforeID: 4)).reversed() where entry.id >= 2 {
                let hash = AuditChain.hash(
                    id: entry.id,
                    atMilliseconds: entry.at.epochMilliseconds,
                    actor: entry.actor,
                    action: entry.action,
                    target: entry.target,
                    ip: entry.ip,
                    detail: entry.detail,
                    previousHash: previous
                )
                try await database.execute(
                    "UPDATE audit_log SET prev_hash = \(bind: previous), hash = \(bind: hash) WHERE id = \(bind: entry.id)"
                )
                previous = hash
            }
            #expect(try await store.audit.verify().problem == .linkBroken(id: 4))
        }
    }

    @Test("an empty log from before the audit key is keyed from its first entry", arguments: TestDatabases.engines)
    func upgradeEmpty(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let legacyRing = try KeyRing(keys: [VaultKey.generate(id: "k1")], audit: nil)
            let file = SavedRing(legacyRing)
            let ring = try await AuditKeyUpgrade.prepare(
                legacyRing,
                database: database,
                reload: { file.current },
                save: { file.current = $0 }
            )
            #expect(ring.audit?.sha256Until == 0)
            #expect(try await database.rowCount("audit_log") == 0, "nothing to mark")
            let store = Store(database: database, vault: Vault(ring: ring))
            let entry = try await store.audit.append(
                AuditEvent(actor: "system", action: AuditAction(rawValue: "test")),
                now: Date()
            )
            #expect(entry.id == 1)
            #expect(entry.chain == .hmacSHA256)
            #expect(try await store.audit.verify().isIntact)
        }
    }

    // MARK: - Checkpoint

    @Test(
        "the console's verify walks only the entries after the checkpoint; the full verify walks all",
        arguments: TestDatabases.engines
    )
    func checkpoint(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let audit = f.store.audit
            _ = try await AuditLogTests.appendChain(f, count: 5)
            let first = try await audit.verifySinceCheckpoint()
            #expect(first.isIntact)
            #expect(first.resumedAfter == nil, "no checkpoint yet: the whole chain")
            #expect(first.checked == 5)

            _ = try await AuditLogTests.appendChain(f, count: 3)
            let second = try await audit.verifySinceCheckpoint()
            #expect(second.isIntact)
            #expect(second.resumedAfter == 5)
            #expect(second.checked == 3)
            #expect(second.headID == 8)

            // Tampering before the checkpoint: the page does not look there; the full walk does.
            try await f.database.execute("UPDATE audit_log SET detail = 'edited' WHERE id = 2")
            let page = try await audit.verifySinceCheckpoint()
            #expect(page.isIntact)
            #expect(page.checked == 0)
            #expect(try await audit.verify().problem == .contentChanged(id: 2))
            try await f.database.execute("UPDATE audit_log SET detail = 'step 2' WHERE id = 2")
            #expect(try await audit.verify().isIntact)

            // Tampering after the checkpoint: the page finds it, and the checkpoint does not move past it.
            _ = try await AuditLogTests.appendChain(f, count: 2)
            try await f.database.execute("UPDATE audit_log SET detail = 'edited' WHERE id = 10")
            let broken = try await audit.verifySinceCheckpoint()
            #expect(broken.problem == .contentChanged(id: 10))
            #expect(broken.resumedAfter == 8)
            #expect(try await audit.verifySinceCheckpoint().problem == .contentChanged(id: 10))

            // The checkpoint's own entry edited, or gone, is found as well.
            try await f.database.execute("UPDATE audit_log SET detail = 'step 10' WHERE id = 10")
            try await f.database.execute("UPDATE audit_log SET detail = 'edited' WHERE id = 8")
            #expect(try await audit.verifySinceCheckpoint().problem == .contentChanged(id: 8))
            try await f.database.execute("DELETE FROM audit_log WHERE id >= 8")
            #expect(try await audit.verifySinceCheckpoint().problem == .linkBroken(id: 8))
        }
    }

    @Test(
        "a checkpoint moved by whoever can write the database (no audit key) is not resumed from",
        arguments: TestDatabases.engines
    )
    func forgedCheckpoint(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let audit = f.store.audit
            _ = try await AuditLogTests.appendChain(f, count: 4)
            #expect(try await audit.verifySinceCheckpoint().isIntact)
            _ = try await AuditLogTests.appendChain(f, count: 4)
            // Entry 6 is rewritten, then the checkpoint is moved past it onto the untouched head, hash and all.
            try await f.database.execute("UPDATE audit_log SET detail = 'edited' WHERE id = 6")
            try await f.database.execute(
                """
                UPDATE audit_checkpoints SET entry_id = 8, hash = (SELECT hash FROM audit_log WHERE id = 8)
                """
            )
            let page = try await audit.verifySinceCheckpoint()
            #expect(page.problem == .contentChanged(id: 6), "the page walked the whole chain and found the edit")
            #expect(page.resumedAfter == nil)

            // Repaired, the next walk is full and writes a checkpoint with a MAC again; a MAC-less one (as before
            // migration 16) is not trusted either. (Entry 6 is the second run's second step.)
            try await f.database.execute("UPDATE audit_log SET detail = 'step 2' WHERE id = 6")
            #expect(try await audit.verifySinceCheckpoint().resumedAfter == nil)
            #expect(try await audit.verifySinceCheckpoint().resumedAfter == 8)
            try await f.database.execute("UPDATE audit_checkpoints SET mac = NULL")
            let unkeyed = try await audit.verifySinceCheckpoint()
            #expect(unkeyed.isIntact)
            #expect(unkeyed.resumedAfter == nil)
            #expect(try await audit.verifySinceCheckpoint().resumedAfter == 8)
        }
    }

    // MARK: - Anonymous events

    static func countedTimes(_ entries: [AuditEntry]) -> Int64 {
        entries.compactMap { entry in
            entry.detail.split(separator: " ").first.flatMap { Int64($0) }
        }.reduce(0, +)
    }

    @Test(
        "10,000 anonymous posts from one address make a few chained entries per minute, not 10,000",
        arguments: TestDatabases.engines
    )
    func anonymousFlood(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let audit = f.store.audit
            let start = Date(timeIntervalSince1970: 1_800_000_000)  // on a minute boundary
            let flood = AuditEvent(
                actor: "anonymous",
                action: .securityCsrfRejected,
                target: "POST /console/login",
                ip: "198.51.100.7"
            )
            // 30 ms apart: five minutes in all. In transactions of 500 posts to keep the test quick; each post
            // takes the same path as one in a transaction of its own.
            var firsts = Set<Int64>()
            for batch in stride(from: 0, to: 10_000, by: 500) {
                let ids = try await f.database.transaction { sql in
                    var ids = Set<Int64>()
                    for index in batch..<batch + 500 {
                        let at = start.addingTimeInterval(Double(index) * 0.03)
                        ids.insert(try await audit.append(flood, now: at, in: sql).id)
                    }
                    return ids
                }
                firsts.formUnion(ids)
            }
            // A signed-in actor's events are chained one by one, as before; its append also closes the last
            // anonymous minute.
            try await audit.append(
                AuditEvent(actor: "user:1", action: AuditAction(rawValue: "test.signed_in")),
                now: start.addingTimeInterval(6 * 60)
            )
            let rows = try await f.database.rowCount("audit_log")
            // Five minutes: one first entry and one summary each, and the signed-in entry.
            #expect(rows == 11)
            #expect(firsts.count == 5, "every post of a minute returns its minute's first entry")
            let flooded = try await audit.entries(AuditFilter(actionPrefix: "security.csrf_rejected", limit: 100))
            let summaries = flooded.filter { $0.detail.contains("times") }
            #expect(summaries.count == 5)
            #expect(Self.countedTimes(summaries) == 10_000)
            #expect(summaries.allSatisfy { $0.ip == "198.51.100.7" && $0.actor == "anonymous" })
            #expect(try await audit.verify().isIntact)
            #expect(try await (audit as! SQLAuditLog).openAnonymousCounts().isEmpty)
        }
    }

    @Test("a flood spread over many addresses shares one bucket beyond the limit", arguments: TestDatabases.engines)
    func anonymousManySources(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let audit = f.store.audit
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let sources = SQLAuditLog.maximumSourcesPerMinute + 100
            for index in 0..<sources {
                for repeat_ in 0..<3 {
                    try await audit.append(
                        AuditEvent(actor: "anonymous", action: .sessionLoginFailed, ip: "2001:db8::\(index)"),
                        now: start.addingTimeInterval(Double(index * 3 + repeat_) * 0.05)
                    )
                }
            }
            let open = try await (audit as! SQLAuditLog).openAnonymousCounts()
            #expect(open.count == SQLAuditLog.maximumSourcesPerMinute + 1)
            #expect(open.first { $0.source == "*" }?.count == 300)
            #expect(open.reduce(0) { $0 + $1.count } == Int64(sources * 3))
            #expect(try await f.database.rowCount("audit_log") == SQLAuditLog.maximumSourcesPerMinute + 1)

            // The sweeper's flush closes the finished minute with the counts chained.
            #expect(try await audit.flushAnonymousCounts(now: start.addingTimeInterval(120)) == open.count)
            let summaries = try await audit.entries(AuditFilter(limit: 1000)).filter { $0.detail.contains("times") }
            #expect(Self.countedTimes(summaries) == Int64(sources * 3))
            #expect(try await audit.flushAnonymousCounts(now: start.addingTimeInterval(120)) == 0)
            #expect(try await audit.verify().isIntact)
        }
    }

    @Test("a single anonymous event is one entry and needs no summary", arguments: TestDatabases.engines)
    func anonymousOnce(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let audit = f.store.audit
            let event = AuditEvent(actor: "anonymous", action: .sessionLoginThrottled, target: "ip", ip: "192.0.2.9")
            let entry = try await audit.append(event, now: f.now)
            #expect(entry.action == "session.login_throttled")
            #expect(entry.ip == "192.0.2.9")
            #expect(try await audit.flushAnonymousCounts(now: f.now.addingTimeInterval(61)) == 1)
            #expect(try await f.database.rowCount("audit_log") == 1)
            // A rolled-back count leaves neither the entry nor the bucket.
            struct Abort: Error {}
            let database = f.database
            let later = f.now.addingTimeInterval(300)
            await #expect(throws: Abort.self) {
                try await database.transaction { sql in
                    try await audit.append(event, now: later, in: sql)
                    throw Abort()
                }
            }
            #expect(try await f.database.rowCount("audit_log") == 1)
            #expect(try await f.database.rowCount("audit_anonymous_counts") == 0)
        }
    }
}

extension AuditUpgradeCheckpointTests {
    @Test("the sweeper's chore chains the count of a finished minute", arguments: TestDatabases.engines)
    func sweeperChore(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let audit = try #require(f.store.audit as? SQLAuditLog)
            let event = AuditEvent(actor: "anonymous", action: .sessionLoginFailed, ip: "192.0.2.3")
            for _ in 0..<4 { try await audit.append(event, now: f.now) }
            let chore = audit.anonymousCountsChore
            let closed = try await chore.perform(on: f.database, at: f.now.addingTimeInterval(120))
            #expect(closed == 1)
            let entries = try await audit.entries(AuditFilter())
            #expect(entries.count == 2, "the first event and the summary")
            #expect(entries.first?.detail.hasPrefix("4 times") == true)
            #expect(try await audit.verify().isIntact)
        }
    }
}
