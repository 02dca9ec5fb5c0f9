import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

@Suite("AuditLog")
struct AuditLogTests {
    /// Appends `count` entries a minute apart and returns them oldest first.
    static func appendChain(_ f: Fixture, count: Int = 5) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for index in 1...count {
            f.clock.advance(60)
            entries.append(
                try await f.store.audit.append(
                    AuditEvent(
                        actor: "user:\(index % 2 + 1)",
                        action: AuditAction(rawValue: "test.step"),
                        target: "item:\(index)",
                        ip: "192.0.2.\(index)",
                        detail: "step \(index)"
                    ),
                    now: f.now
                )
            )
        }
        return entries
    }

    // MARK: - An intact chain

    @Test("an empty log verifies", arguments: TestDatabases.engines)
    func emptyLog(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let result = try await f.store.audit.verify()
            #expect(result == AuditVerification(checked: 0, headID: 0, headHash: AuditChain.genesis, problem: nil))
            #expect(try await f.store.audit.entries(AuditFilter()).isEmpty)
        }
    }

    @Test("appended entries chain up and verify intact", arguments: TestDatabases.engines)
    func intact(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let entries = try await Self.appendChain(f)
            #expect(entries.map(\.id) == [1, 2, 3, 4, 5])
            #expect(entries[0].previousHash == AuditChain.genesis)
            for (previous, next) in zip(entries, entries.dropFirst()) {
                #expect(next.previousHash == previous.hash)
            }
            #expect(Set(entries.map(\.hash)).count == 5)

            let result = try await f.store.audit.verify()
            #expect(result.isIntact)
            #expect(result.checked == 5)
            #expect(result.headHash == entries[4].hash)
            // What was returned on append is what is stored.
            #expect(try await f.store.audit.entries(AuditFilter()) == entries.reversed())
        }
    }

    @Test("the chain verifies across the verifier's pages", arguments: TestDatabases.engines)
    func manyEntries(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let total = 2_105
            let at = f.now
            let log = f.store.audit
            try await f.database.transaction { sql in
                for index in 1...total {
                    try await log.append(
                        AuditEvent(actor: "system", action: AuditAction(rawValue: "bulk"), detail: "\(index)"),
                        now: at,
                        in: sql
                    )
                }
            }
            let intact = try await log.verify()
            #expect(intact.isIntact)
            #expect(intact.checked == total)

            // A change far beyond the first page is still found.
            try await f.database.execute("UPDATE audit_log SET detail = 'edited' WHERE id = 2050")
            let broken = try await log.verify()
            #expect(broken.problem == .contentChanged(id: 2050))
            #expect(broken.checked == 2049)
        }
    }

    @Test("concurrent appenders still form one unbroken chain", arguments: TestDatabases.engines)
    func concurrentAppends(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await f.store.audit.append(
                            AuditEvent(actor: "user:\(index)", action: AuditAction(rawValue: "test.parallel")),
                            now: f.now
                        )
                    }
                }
                try await group.waitForAll()
            }
            let result = try await f.store.audit.verify()
            #expect(result.isIntact, "\(String(describing: result.problem))")
            #expect(result.checked == 24)
        }
    }

    @Test("an entry appended in a transaction that rolls back leaves no gap", arguments: TestDatabases.engines)
    func rolledBackAppend(engine: SQLEngine) async throws {
        struct Abort: Error {}
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f, count: 2)
            let log = f.store.audit
            let now = f.now
            await #expect(throws: Abort.self) {
                try await f.database.transaction { sql in
                    try await log.append(
                        AuditEvent(actor: "system", action: AuditAction(rawValue: "test.rolled_back")),
                        now: now,
                        in: sql
                    )
                    throw Abort()
                }
            }
            let entry = try await log.append(
                AuditEvent(actor: "system", action: AuditAction(rawValue: "test.after")),
                now: now
            )
            #expect(entry.id == 3)
            let result = try await log.verify()
            #expect(result.isIntact)
            #expect(result.checked == 3)
        }
    }

    @Test("entries stamped by a clock stuck in 1970 still verify", arguments: TestDatabases.engines)
    func clockAtEpoch(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let clock = TestClock(Date(timeIntervalSince1970: 0))
            let log = SQLAuditLog(database: database, key: .generate())
            for index in 0..<40 {
                clock.advance(0.001)
                try await log.append(
                    AuditEvent(actor: "system", action: AuditAction(rawValue: "test.epoch"), detail: "\(index)"),
                    now: clock.now
                )
            }
            let result = try await log.verify()
            #expect(result.isIntact, "\(String(describing: result.problem))")
            #expect(result.checked == 40)
        }
    }

    // MARK: - Tampering

    @Test("an edited entry is named", arguments: TestDatabases.engines)
    func editedDetail(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let entries = try await Self.appendChain(f)
            try await f.database.execute("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 3")
            let result = try await f.store.audit.verify()
            #expect(result.problem == .contentChanged(id: 3))
            #expect(result.checked == 2)
            #expect(result.headHash == entries[1].hash, "the last good entry")
        }
    }

    @Test("an edit to any single field is detected", arguments: TestDatabases.engines)
    func everyField(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            let edits: [(String, SQLQueryString, SQLQueryString)] = [
                (
                    "at", "UPDATE audit_log SET at = at + 1 WHERE id = 2",
                    "UPDATE audit_log SET at = at - 1 WHERE id = 2"
                ),
                (
                    "actor", "UPDATE audit_log SET actor = 'system' WHERE id = 2",
                    "UPDATE audit_log SET actor = 'user:1' WHERE id = 2"
                ),
                (
                    "action", "UPDATE audit_log SET action = 'test.other' WHERE id = 2",
                    "UPDATE audit_log SET action = 'test.step' WHERE id = 2"
                ),
                (
                    "target", "UPDATE audit_log SET target = 'item:9' WHERE id = 2",
                    "UPDATE audit_log SET target = 'item:2' WHERE id = 2"
                ),
                (
                    "ip", "UPDATE audit_log SET ip = '198.51.100.1' WHERE id = 2",
                    "UPDATE audit_log SET ip = '192.0.2.2' WHERE id = 2"
                ),
            ]
            for (field, edit, undo) in edits {
                try await f.database.execute(edit)
                #expect(try await f.store.audit.verify().problem == .contentChanged(id: 2), "edited \(field)")
                try await f.database.execute(undo)
                #expect(try await f.store.audit.verify().isIntact, "restored \(field)")
            }
        }
    }

    @Test("a deleted middle entry is detected", arguments: TestDatabases.engines)
    func deletedMiddle(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            try await f.database.execute("DELETE FROM audit_log WHERE id = 3")
            let result = try await f.store.audit.verify()
            #expect(result.problem == .gap(afterID: 2, nextID: 4))
            #expect(result.checked == 2)
        }
    }

    @Test("a deleted entry is detected even when the ids after it are renumbered", arguments: TestDatabases.engines)
    func deletedAndRenumbered(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            try await f.database.execute("DELETE FROM audit_log WHERE id = 3")
            for id in 4...5 {
                try await f.database.execute("UPDATE audit_log SET id = \(bind: id - 1) WHERE id = \(bind: id)")
            }
            let result = try await f.store.audit.verify()
            #expect(result.problem == .linkBroken(id: 3))
            #expect(result.checked == 2)
        }
    }

    @Test("a deleted first entry is detected", arguments: TestDatabases.engines)
    func deletedFirst(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            try await f.database.execute("DELETE FROM audit_log WHERE id = 1")
            let result = try await f.store.audit.verify()
            #expect(result.problem == .linkBroken(id: 2))
            #expect(result.checked == 0)
        }
    }

    @Test("two entries with their contents swapped are detected", arguments: TestDatabases.engines)
    func swappedContent(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let entries = try await Self.appendChain(f)
            let (second, third) = (entries[1], entries[2])
            for (id, source) in [(second.id, third), (third.id, second)] {
                try await f.database.execute(
                    """
                    UPDATE audit_log SET at = \(bind: source.at.epochMilliseconds), actor = \(bind: source.actor),
                        action = \(bind: source.action), target = \(bind: source.target), ip = \(bind: source.ip),
                        detail = \(bind: source.detail), prev_hash = \(bind: source.previousHash), hash = \(bind: source.hash)
                    WHERE id = \(bind: id)
                    """
                )
            }
            let result = try await f.store.audit.verify()
            #expect(result.problem == .linkBroken(id: 2))
            #expect(result.checked == 1)
        }
    }

    @Test("two entries with their ids swapped are detected", arguments: TestDatabases.engines)
    func swappedIDs(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            try await f.database.execute("UPDATE audit_log SET id = -1 WHERE id = 2")
            try await f.database.execute("UPDATE audit_log SET id = 2 WHERE id = 3")
            try await f.database.execute("UPDATE audit_log SET id = 3 WHERE id = -1")
            let result = try await f.store.audit.verify()
            // Entry 2 now holds the old third entry, which points at the old second one, not the first.
            #expect(result.problem == .linkBroken(id: 2))
            #expect(result.checked == 1)
        }
    }

    /// What a database writer without the key can do: recompute plain SHA-256 hashes from `id` to the end.
    static func rehashWithoutKey(_ f: Fixture, from id: Int64, chain: AuditChain.Version) async throws {
        let entries = try await f.store.audit.entries(AuditFilter(limit: 1000)).reversed().filter { $0.id >= id }
        var previous =
            id == 1
            ? AuditChain.genesis
            : try #require(await f.store.audit.entries(AuditFilter(beforeID: id, limit: 1)).first?.hash)
        for entry in entries {
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
            try await f.database.execute(
                """
                UPDATE audit_log SET prev_hash = \(bind: previous), hash = \(bind: hash), chain = \(bind: chain.rawValue)
                WHERE id = \(bind: entry.id)
                """
            )
            previous = hash
        }
    }

    @Test(
        "an edited entry with plain SHA-256 recomputed for it and every later entry is detected",
        arguments: TestDatabases.engines
    )
    func editedAndRehashed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            try await f.database.execute("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 3")
            // Left marked as keyed: a plain hash is not the MAC.
            try await Self.rehashWithoutKey(f, from: 3, chain: .hmacSHA256)
            var result = try await f.store.audit.verify()
            #expect(result.problem == .contentChanged(id: 3))
            #expect(result.checked == 2)
            // Marked as entries from before the key: refused, the log is keyed from its first entry.
            try await Self.rehashWithoutKey(f, from: 3, chain: .sha256)
            result = try await f.store.audit.verify()
            #expect(result.problem == .unkeyed(id: 3))
            #expect(result.checked == 2)
            // The whole log rewritten without the key.
            try await Self.rehashWithoutKey(f, from: 1, chain: .sha256)
            #expect(try await f.store.audit.verify().problem == .unkeyed(id: 1))
        }
    }

    @Test("a log verified under another audit key is refused", arguments: TestDatabases.engines)
    func wrongKey(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f, count: 3)
            let other = SQLAuditLog(database: f.database, key: .generate())
            #expect(try await other.verify().problem == .contentChanged(id: 1))
            await #expect(throws: AuditKeyError.self) { try await other.checkKey() }
            try await (f.store.audit as! SQLAuditLog).checkKey()
            // No key at all: nothing is appended unkeyed.
            let none = SQLAuditLog(database: f.database, key: nil)
            await #expect(throws: AuditKeyError.self) {
                try await none.append(AuditEvent(actor: "system", action: AuditAction(rawValue: "test")), now: f.now)
            }
            #expect(try await f.database.rowCount("audit_log") == 3)
        }
    }

    @Test(
        "a rewritten newest entry is detected; a cut-off end passes the walk but not the head kept elsewhere",
        arguments: TestDatabases.engines
    )
    func rewrittenHead(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendChain(f)
            let anchored = try await f.store.audit.verify()
            #expect(anchored.headID == 5)
            try await f.database.execute("UPDATE audit_log SET detail = 'forged' WHERE id = 5")
            try await Self.rehashWithoutKey(f, from: 5, chain: .hmacSHA256)
            #expect(try await f.store.audit.verify().problem == .contentChanged(id: 5))

            try await f.database.execute("DELETE FROM audit_log WHERE id = 5")
            let result = try await f.store.audit.verify()
            #expect(result.isIntact)
            #expect(result.headID == 4)
            #expect(result.headHash != anchored.headHash)
        }
    }

    // MARK: - Browsing

    /// Entries to filter: (actor, action, minutes after the start).
    static let browsing: [(String, String, Double)] = [
        ("user:1", "session.login", 0),
        ("user:2", "session.login", 1),
        ("user:1", "sessionx.probe", 2),
        ("user:1", "session", 3),
        ("user:2", "user.create", 4),
        ("user:1", "session.logout", 5),
        ("token:7", "a_b.c", 6),
        ("token:7", "axb.c", 7),
        ("user:1", "user.role_changed", 8),
        ("system", "session.login_failed", 9),
    ]

    static func appendBrowsing(_ f: Fixture) async throws -> (start: Date, entries: [AuditEntry]) {
        let start = f.now
        var entries: [AuditEntry] = []
        for (actor, action, minutes) in browsing {
            entries.append(
                try await f.store.audit.append(
                    AuditEvent(
                        actor: actor,
                        action: AuditAction(rawValue: action),
                        target: "user:\(entries.count % 3)"
                    ),
                    now: start.addingTimeInterval(minutes * 60)
                )
            )
        }
        return (start, entries)
    }

    @Test("filtering by actor and target, newest first", arguments: TestDatabases.engines)
    func filterActor(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (_, entries) = try await Self.appendBrowsing(f)
            let mine = try await f.store.audit.entries(AuditFilter(actor: "user:1"))
            #expect(mine.map(\.id) == [9, 6, 4, 3, 1])
            #expect(mine == entries.filter { $0.actor == "user:1" }.reversed())
            #expect(try await f.store.audit.entries(AuditFilter(actor: "user:")).isEmpty, "actor is matched exactly")
            #expect(try await f.store.audit.entries(AuditFilter(target: "user:0")).map(\.id) == [10, 7, 4, 1])
            #expect(
                try await f.store.audit.entries(AuditFilter(actor: "user:1", target: "user:0")).map(\.id) == [4, 1]
            )
            #expect(try await f.store.audit.entries(AuditFilter(actor: "")).count == entries.count, "empty means any")
        }
    }

    @Test("an action prefix matches whole dotted segments only", arguments: TestDatabases.engines)
    func filterActionPrefix(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await Self.appendBrowsing(f)
            let audit = f.store.audit
            let session = try await audit.entries(AuditFilter(actionPrefix: "session")).map(\.action)
            #expect(session == ["session.login_failed", "session.logout", "session", "session.login", "session.login"])
            #expect(try await audit.entries(AuditFilter(actionPrefix: "session.login")).map(\.id) == [2, 1])
            #expect(try await audit.entries(AuditFilter(actionPrefix: "sess")).isEmpty)
            #expect(try await audit.entries(AuditFilter(actionPrefix: "user")).map(\.id) == [9, 5])
            // LIKE wildcards in the prefix are taken literally.
            #expect(try await audit.entries(AuditFilter(actionPrefix: "a_b")).map(\.action) == ["a_b.c"])
            #expect(try await audit.entries(AuditFilter(actionPrefix: "%")).isEmpty)
            // Same answer on both engines: actions are matched case-sensitively, like actors.
            #expect(try await audit.entries(AuditFilter(actionPrefix: "SESSION")).isEmpty)
            #expect(try await audit.entries(AuditFilter(actionPrefix: "Session.Login")).isEmpty)
        }
    }

    @Test("a time range includes its start and excludes its end", arguments: TestDatabases.engines)
    func filterTime(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (start, _) = try await Self.appendBrowsing(f)
            let audit = f.store.audit
            let window = AuditFilter(from: start.addingTimeInterval(2 * 60), until: start.addingTimeInterval(5 * 60))
            #expect(try await audit.entries(window).map(\.id) == [5, 4, 3])
            #expect(try await audit.entries(AuditFilter(from: start.addingTimeInterval(8 * 60))).map(\.id) == [10, 9])
            #expect(try await audit.entries(AuditFilter(until: start.addingTimeInterval(60))).map(\.id) == [1])
            #expect(
                try await audit.entries(AuditFilter(actor: "user:1", from: start.addingTimeInterval(60))).map(\.id) == [
                    9, 6, 4, 3,
                ]
            )
        }
    }

    @Test("pages by beforeID walk the whole log newest first, without repeats", arguments: TestDatabases.engines)
    func paging(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let (_, entries) = try await Self.appendBrowsing(f)
            var seen: [Int64] = []
            var before: Int64?
            var pages = 0
            while true {
                let page = try await f.store.audit.entries(AuditFilter(beforeID: before, limit: 3))
                if page.isEmpty { break }
                #expect(page.count <= 3)
                seen += page.map(\.id)
                before = page.last?.id
                pages += 1
                if pages > 10 { break }
            }
            #expect(pages == 4)
            #expect(seen == entries.map(\.id).reversed())
            #expect(
                try await f.store.audit.entries(AuditFilter(actionPrefix: "session", beforeID: 4, limit: 10)).map(\.id)
                    == [2, 1]
            )
        }
    }

    @Test("control characters cannot forge lines in the log", arguments: TestDatabases.engines)
    func controlCharacters(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let nasty = "ok\n2026-01-01 user:1 admin.grant\r\u{1B}[31m\t\u{0}\u{7F}\u{85}\u{2028}\u{2029}\u{202E}end"
            let returned = try await f.store.audit.append(
                AuditEvent(
                    actor: "user:1\nsystem",
                    action: AuditAction(rawValue: "test\r\nforged"),
                    target: "t\u{0}",
                    ip: "1.2.3.4\u{1B}",
                    detail: nasty
                ),
                now: f.now
            )
            let stored = try #require(await f.store.audit.entries(AuditFilter()).first)
            #expect(stored == returned)
            let fields = [stored.actor, stored.action, stored.target, stored.ip, stored.detail]
            for field in fields {
                let bad = field.unicodeScalars.filter {
                    CharacterSet.controlCharacters.contains($0) || CharacterSet.newlines.contains($0)
                }
                #expect(bad.isEmpty, "\(field.debugDescription)")
            }
            #expect(stored.actor == "user:1 system")
            #expect(stored.detail.hasPrefix("ok 2026-01-01 user:1 admin.grant "))
            #expect(stored.detail.hasSuffix("end"))
            #expect(try await f.store.audit.verify().isIntact)
        }
    }

    @Test("overlong fields are cut to their limits and still verify", arguments: TestDatabases.engines)
    func overlong(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let entry = try await f.store.audit.append(
                AuditEvent(
                    actor: String(repeating: "a", count: 500),
                    action: AuditAction(rawValue: "test"),
                    detail: String(repeating: "ä", count: 5000)
                ),
                now: f.now
            )
            #expect(entry.actor.count == 200)
            #expect(entry.detail.count == 1000)
            #expect(try await f.store.audit.entries(AuditFilter()).first == entry)
            #expect(try await f.store.audit.verify().isIntact)
        }
    }
}
