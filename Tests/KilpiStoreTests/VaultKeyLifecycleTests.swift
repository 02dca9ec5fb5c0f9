import Foundation
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiCore
@testable import KilpiStore

/// Key check values, rotation while a server keeps writing, retirement, and ciphertexts bound to their row.
@Suite("PII vault keys over time")
struct VaultKeyLifecycleTests {
    /// A key file in a fresh private folder, as `kilpi` keeps one, and a vault that reads it again like a server.
    struct KeyFolder {
        let path: String

        init(_ ring: KeyRing) throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-keys-\(UUID())").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            path = folder + "/kilpi.key"
            try KeyRingSource.save(ring, path: path, environment: [:])
        }

        func vault() throws -> Vault {
            let path = path
            return Vault(
                ring: try KeyRingSource.reload(path: path, environment: [:]),
                reloadingFrom: { try KeyRingSource.reload(path: path, environment: [:]) }
            )
        }

        func save(_ ring: KeyRing) throws { try KeyRingSource.save(ring, path: path, environment: [:]) }

        func remove() { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    }

    /// A value two tasks share.
    final class Shared<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value { lock.withLock { stored } }
        func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
    }

    static func customers(_ prefix: String, _ count: Int, name: String = "Asiakas") -> [CustomerInput] {
        (0..<count).map { i in
            CustomerInput(
                externalID: "\(prefix)-\(i)",
                name: "\(name) \(prefix) \(i)",
                email: "\(prefix.lowercased())\(i)@example.fi",
                phone: "+358 40 \(100_000 + i)",
                address: "Katu \(i)",
                language: "fi",
                country: "FI",
                region: ""
            )
        }
    }

    static func upsert(_ store: Store, _ inputs: [CustomerInput], now: Date = Date()) async throws {
        _ = try await store.database.transaction { sql in try await store.customers.upsert(inputs, now: now, in: sql) }
    }

    /// Every sealed customer field's key id, and every customer's key id, with how many use each.
    static func keysInUse(_ database: Database) async throws -> [String: Int] {
        try await database.withConnection { sql in
            var used: [String: Int] = [:]
            let rows = try await sql.raw(
                "SELECT key_id, name_sealed, email_sealed, phone_sealed, address_sealed FROM customers WHERE erased_at IS NULL"
            ).all()
            for row in rows {
                used[try row.decode(column: "key_id", as: String.self), default: 0] += 1
                for column in ["name_sealed", "email_sealed", "phone_sealed", "address_sealed"] {
                    if let text = try row.decode(column: column, as: String?.self) {
                        used[String(text.split(separator: ":")[1]), default: 0] += 1
                    }
                }
            }
            return used
        }
    }

    // MARK: - Check values

    @Test func aCheckValueIdentifiesTheKeyWithoutRevealingIt() throws {
        let key = try VaultKey.generate(id: "k1")
        let same = try VaultKey(id: "k1", material: key.material)
        let other = try VaultKey.generate(id: "k1")
        #expect(key.checkValue == same.checkValue)
        #expect(key.checkValue != other.checkValue)
        #expect(key.checkValue.count == 64)
        #expect(!key.checkValue.contains(key.materialBase64) && key.checkValue != Digest.sha256Hex(key.materialBase64))
    }

    @Test(arguments: TestDatabases.engines)
    func aKeyFileFromAnotherInstallationNamedK1IsRefused(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let ours = try Vault.ephemeral()
            try await ours.register(in: database, now: Date())
            let store = Store(database: database, vault: ours)
            try await Self.upsert(store, Self.customers("A", 3))
            let stored = try await database.withConnection { sql in
                try await sql.raw("SELECT id, check_value FROM vault_keys").all().map {
                    (
                        try $0.decode(column: "id", as: String.self),
                        try $0.decode(column: "check_value", as: String.self)
                    )
                }
            }
            #expect(stored.map(\.0) == ["k1"] && stored[0].1 == ours.ring.current.checkValue)

            // Another installation's key file, whose only key is also called k1.
            let theirs = try Vault.ephemeral()
            let error = await #expect(throws: VaultError.keyMismatch) {
                try await theirs.register(in: database, now: Date())
            }
            #expect(error?.description == "key file holds k1 but it is not the k1 this database was sealed with")
            // A process that skipped the start-up check still cannot seal under it.
            await #expect(throws: VaultError.keyMismatch) {
                try await Self.upsert(Store(database: database, vault: theirs), Self.customers("B", 1))
            }
            #expect(try await store.customers.count() == 3)
            // A key file that lost a key the database still uses is refused too.
            let grown = Vault(ring: ours.ring.adding())
            try await grown.register(in: database, now: Date())
            await #expect(throws: VaultError.keyMismatch) { try await ours.register(in: database, now: Date()) }
        }
    }

    // MARK: - Rotation and retirement

    /// A server (its own database handle, its own vault over the key file) keeps writing while `kilpi keys rotate`
    /// adds a key and re-encrypts, and `kilpi keys retire` removes the old one: the server picks up the new key,
    /// opens what the rotation re-sealed, and no row is left under the retired key.
    @Test(arguments: TestDatabases.engines)
    func rotationWhileAServerKeepsWritingLeavesNoRowUnderARetiredKey(_ engine: SQLEngine) async throws {
        let url = try await TestDatabases.makeURL(engine)
        let keys = try KeyFolder(try KeyRing(keys: [VaultKey.generate(id: "k1")]))
        defer {
            keys.remove()
            Task { await TestDatabases.dispose(url) }
        }
        try await Database.withOpened(url, logger: TestDatabases.quietLogger) { serverDatabase in
            try await Migrator(database: serverDatabase).migrate()
            let serverVault = try keys.vault()
            try await serverVault.register(in: serverDatabase, now: Date())
            let server = Store(database: serverDatabase, vault: serverVault)
            try await Self.upsert(server, Self.customers("S", 60))
            // A reader that never seals, so only the open path can teach it the new key.
            let reader = Store(database: serverDatabase, vault: try keys.vault())
            #expect(try await reader.customers.find(externalID: "S-7")?.name == "Asiakas S 7")

            let writes = Shared(0)
            let stop = Shared(false)
            let writerDone = Shared(false)
            let writer = Task {
                defer { writerDone.update { $0 = true } }
                var round = 0
                var failures = 0
                while !stop.value {
                    // New customers and a change to an existing one, in one transaction.
                    var batch = Self.customers("W\(round + 1)", 3)
                    batch += Self.customers("S", 1).map {
                        var changed = $0
                        changed.name = "Muutettu \(round + 1)"
                        return changed
                    }
                    do {
                        try await Self.upsert(server, batch)
                        round += 1
                        writes.update { $0 += 1 }
                    } catch {
                        // A database busy with the rotation on a loaded machine: a server retries the request.
                        failures += 1
                        if failures > 200 { throw error }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    try await Task.sleep(for: .milliseconds(1))
                }
                return (rounds: round, failures: failures)
            }
            // Sleeps rather than yields: a spinning task can starve the writer on a two-thread cooperative pool, and
            // a writer that gave up ends the wait (its error then fails the test instead of hanging it).
            @Sendable func waitForWrites(beyond count: Int) async throws {
                while writes.value <= count + 1 && !writerDone.value { try await Task.sleep(for: .milliseconds(5)) }
            }

            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { cliDatabase in
                // `kilpi keys rotate`: the new key goes into the file, then into the database, then rows move.
                let cliRing = try keys.vault().ring.adding()
                try keys.save(cliRing)
                let cliVault = try keys.vault()
                try await cliVault.register(in: cliDatabase, now: Date())
                #expect(cliVault.ring.current.id == "k2")
                // Every write that starts from now on seals under k2.
                try await waitForWrites(beyond: writes.value)
                let rotation = KeyRotation(database: cliDatabase, vault: cliVault, batchSize: 7)
                while try await rotation.remaining() > 0 { try await rotation.run() }
                #expect(serverVault.ring.current.id == "k2", "the server picked up the new key")

                // `kilpi keys retire`, with the server still writing.
                let cliStore = Store(database: cliDatabase, vault: cliVault)
                let retired = try await KeyRetirement(store: cliStore).retireOldKeys(
                    of: cliVault.ring,
                    actor: "cli",
                    now: Date()
                )
                #expect(retired == ["k1"])
                try keys.save(cliVault.ring.retiringOldKeys())
                try await waitForWrites(beyond: writes.value)
            }
            stop.update { $0 = true }
            let (rounds, failures) = try await writer.value
            #expect(rounds > 2)

            #expect(try await Self.keysInUse(serverDatabase).keys.sorted() == ["k2"])
            #expect(try await KeyRetirement(store: server).usage(of: "k1").isEmpty)
            // The reader, still on k1 alone, opens rows re-sealed under k2 and finds them by email.
            #expect(reader.vault.ring.keys.map(\.id) == ["k1"])
            #expect(try await reader.customers.find(externalID: "S-8")?.email == "s8@example.fi")
            #expect(try await reader.customers.find(email: "S9@example.fi").map(\.externalID) == ["S-9"])
            // Everything opens with the retired key gone.
            let fresh = Store(database: serverDatabase, vault: try keys.vault())
            #expect(fresh.vault.ring.keys.map(\.id) == ["k2"])
            // (A failed round's ids may be spent on PostgreSQL, so look a little further.)
            let all = try await fresh.customers.find(ids: Array(1...Int64(60 + 4 * (rounds + failures))))
            #expect(all.count == 60 + 3 * rounds)
            #expect(all.values.allSatisfy { $0.email != nil && $0.name != nil })
            #expect(try await fresh.customers.find(externalID: "S-0")?.name == "Muutettu \(rounds)")
        }
    }

    @Test(arguments: TestDatabases.engines)
    func retireRefusesWhileRowsUseAKeyAndChangesNothing(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let old = try Vault.ephemeral()
            try await old.register(in: database, now: Date())
            try await Self.upsert(Store(database: database, vault: old), Self.customers("R", 30))
            let vault = Vault(ring: old.ring.adding())
            try await vault.register(in: database, now: Date())
            let store = Store(database: database, vault: vault)
            let retirement = KeyRetirement(store: store)

            let error = await #expect(throws: VaultError.keyInUse) {
                try await retirement.retireOldKeys(of: vault.ring, actor: "cli", now: Date())
            }
            #expect(
                error?.description.contains("key k1 still seals 120 fields") == true,
                "\(String(describing: error))"
            )
            #expect(try await Self.retiredAt("k1", database) == nil, "the refusal marked nothing")

            // Half rotated: still refused, with the count that is left.
            #expect(try await KeyRotation(database: database, vault: vault, batchSize: 10).run(limit: 20) == 20)
            let partly = await #expect(throws: VaultError.keyInUse) {
                try await retirement.retireOldKeys(of: vault.ring, actor: "cli", now: Date())
            }
            #expect(partly?.description.contains("still seals 40 fields") == true, "\(String(describing: partly))")

            try await KeyRotation(database: database, vault: vault).run()
            #expect(try await retirement.retireOldKeys(of: vault.ring, actor: "cli", now: Date()) == ["k1"])
            #expect(try await Self.retiredAt("k1", database) != nil)
            #expect(try await Self.retiredAt("k2", database) == nil)
            let audited = try await store.audit.entries(AuditFilter(limit: 5)).map { "\($0.action) \($0.target)" }
            #expect(audited.contains("keys.retire keys:k1"), "\(audited)")
            // A process whose newest key is the retired one (an old key file) cannot seal any more.
            await #expect(throws: VaultError.retiredKey) {
                try await Self.upsert(Store(database: database, vault: old), Self.customers("X", 1))
            }
        }
    }

    static func retiredAt(_ id: String, _ database: Database) async throws -> Int64? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT retired_at FROM vault_keys WHERE id = \(bind: id)").first()?
                .decode(column: "retired_at", as: Int64?.self)
        }
    }

    // MARK: - Ciphertexts bound to their row

    @Test(arguments: TestDatabases.engines)
    func aCiphertextCopiedIntoAnotherCustomersRowFailsToOpen(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            try await Self.upsert(store, Self.customers("C", 2))
            let a = try #require(try await store.customers.find(externalID: "C-0"))
            let b = try #require(try await store.customers.find(externalID: "C-1"))
            #expect(a.email == "c0@example.fi" && b.email == "c1@example.fi")
            // Someone with write access to the database moves A's sealed address into B's row.
            try await database.execute(
                """
                UPDATE customers SET email_sealed = (SELECT email_sealed FROM customers WHERE external_id = 'C-0')
                WHERE external_id = 'C-1'
                """
            )
            let error = await #expect(throws: VaultError.cannotDecrypt) {
                _ = try await store.customers.find(id: b.id)
            }
            let message = String(describing: error)
            #expect(message.contains("customers.email") && message.contains("another field or row"))
            #expect(!message.contains("c0@example.fi") && !message.contains("C-0"))
            await #expect(throws: VaultError.cannotDecrypt) { _ = try await store.customers.find(ids: [b.id]) }
            // A itself is untouched.
            #expect(try await store.customers.find(id: a.id)?.email == "c0@example.fi")
        }
    }

    /// Rows sealed before fields were bound to rows (format v1) still open, and `kilpi keys rotate` re-seals them.
    @Test(arguments: TestDatabases.engines)
    func v1RowsStillOpenAndTheRotationResealsThemBoundToTheirRow(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let vault = try Vault.ephemeral()
            let store = Store(database: database, vault: vault)
            try await Self.upsert(store, Self.customers("L", 12))
            // Rewrite every row as Kilpi did before: v1 texts, bound to the column only.
            let rows = try await database.withConnection { sql in
                try await sql.raw("SELECT id, external_id FROM customers").all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "external_id", as: String.self))
                }
            }
            for (id, externalID) in rows {
                let customer = try #require(try await store.customers.find(id: id))
                let name = try vault.cipher.sealLegacy(customer.name!, context: Vault.Context.name)
                let email = try vault.cipher.sealLegacy(customer.email!, context: Vault.Context.email)
                #expect(name.hasPrefix("v1:k1:") && externalID.hasPrefix("L-"))
                try await database.execute(
                    "UPDATE customers SET name_sealed = \(bind: name), email_sealed = \(bind: email) WHERE id = \(bind: id)"
                )
            }
            #expect(try await store.customers.find(externalID: "L-3")?.email == "l3@example.fi")
            let newVault = Vault(ring: vault.ring.adding())
            let rotation = KeyRotation(database: database, vault: newVault)
            #expect(try await rotation.remaining() == 12)
            #expect(try await rotation.run() == 12)
            #expect(try await rotation.remaining() == 0)
            let texts = try await database.withConnection { sql in
                try await sql.raw("SELECT name_sealed, email_sealed, phone_sealed FROM customers").all().flatMap {
                    [
                        try $0.decode(column: "name_sealed", as: String.self),
                        try $0.decode(column: "email_sealed", as: String.self),
                        try $0.decode(column: "phone_sealed", as: String.self),
                    ]
                }
            }
            #expect(texts.count == 36 && texts.allSatisfy { $0.hasPrefix("v2:k2:") })
            let after = Store(database: database, vault: Vault(ring: newVault.ring.retiringOldKeys()))
            #expect(try await after.customers.find(externalID: "L-3")?.name == "Asiakas L 3")
        }
    }

    // MARK: - Erasure and deleted pages

    @Test(arguments: TestDatabases.engines)
    func erasureScrubsTheExternalIDFromStoredScopeDiffs(_ engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let world = try await ExposureTests.build(f)
            let incident = try await IncidentRepositoryTests.declare(f, commander: try await f.user().id)
            let window = (ExposureTests.windowStart, ExposureTests.windowEnd)
            _ = try await f.store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(systemIDs: [world.systems[0]], windowStart: window.0, windowEnd: window.1),
                actor: "a",
                now: f.now
            )
            let v2 = try await f.store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(systemIDs: world.systems, windowStart: window.0, windowEnd: window.1),
                actor: "a",
                now: f.now
            )
            let diff = try #require(v2.diff)
            let erased = try #require(diff.addedSample.first)
            let kept = diff.addedSample.dropFirst()
            #expect(!kept.isEmpty)
            let customer = try #require(try await f.store.customers.find(externalID: erased))
            let rights = DataSubjectRights(store: f.store)
            #expect(try await rights.erase(customerID: customer.id, actor: "user:1", ip: "127.0.0.1", now: f.now))

            let stored = try #require(
                try await f.store.scopes.versions(incidentID: incident.id).first { $0.version == 2 }?.diff
            )
            #expect(!stored.addedSample.contains(erased))
            #expect(stored.addedSample == Array(kept))
            #expect(stored.added == diff.added, "the counts stay")
            let raw = try await f.database.dump("scope_versions")
            #expect(!raw.contains("\"\(erased)\""))
        }
    }

    @Test func sqliteOverwritesDeletedContent() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let value = try await database.withConnection { sql in
                try await sql.raw("PRAGMA secure_delete").first()?.decode(column: "secure_delete", as: Int.self)
            }
            #expect(value == 1)
        }
    }
}
