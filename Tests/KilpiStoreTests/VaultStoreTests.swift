import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

@Suite("PII vault in the store")
struct VaultStoreTests {
    /// Seeds the demo data map (fictional customers) and returns the store.
    func demoStore(_ database: Database, customers: Int = 300, vault: Vault? = nil) async throws -> Store {
        let store = Store(database: database, vault: try vault ?? Vault.ephemeral())
        try await DemoDataMap.seed(store: store, customers: customers, now: Date())
        return store
    }

    @Test func noPlaintextPersonalDataInTheSQLiteFile() async throws {
        let url = try await TestDatabases.makeURL(.sqlite)
        defer { Task { await TestDatabases.dispose(url) } }
        guard case .sqlite(let path) = url else { return }
        var people: [CustomerInput] = []
        try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
            try await Migrator(database: database).migrate()
            _ = try await demoStore(database)
            try await database.withConnection { try await $0.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
        }
        var rng = DemoDataMap.Generator(seed: 0x4B11_5041_5552_4F52)
        for index in 1...300 { people.append(DemoDataMap.customer(index, using: &rng)) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
        #expect(bytes.count > 10_000)
        var checked = 0
        for person in people {
            for value in [person.email, person.name, person.phone].compactMap({ $0 }) {
                #expect(bytes.range(of: Data(value.utf8)) == nil, "found \(value) in the database file")
                checked += 1
            }
        }
        #expect(checked == 900)
    }

    @Test(.enabled(if: TestDatabases.engines.contains(.postgres)))
    func noPlaintextPersonalDataInAPostgresDump() async throws {
        let url = try await TestDatabases.makeURL(.postgres)
        defer { Task { await TestDatabases.dispose(url) } }
        guard case .postgres(let host, let port, let user, let password, let name, _) = url else { return }
        try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
            try await Migrator(database: database).migrate()
            _ = try await demoStore(database)
        }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        dump.arguments = ["pg_dump", "-h", host, "-p", String(port), "-U", user, "--data-only", name]
        dump.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password ?? ""]) { $1 }
        let pipe = Pipe()
        dump.standardOutput = pipe
        try dump.runOneAtATime()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        #expect(dump.terminationStatus == 0)
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("COPY public.customers"), "the dump has the customers table")
        var rng = DemoDataMap.Generator(seed: 0x4B11_5041_5552_4F52)
        for index in 1...300 {
            let person = DemoDataMap.customer(index, using: &rng)
            for value in [person.email, person.name, person.phone].compactMap({ $0 }) {
                #expect(!text.contains(value), "found \(value) in pg_dump")
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func blindIndexFindsByNormalisedEmailOnly(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let store = try await demoStore(database, customers: 50)
            var rng = DemoDataMap.Generator(seed: 0x4B11_5041_5552_4F52)
            let first = DemoDataMap.customer(1, using: &rng)
            let email = try #require(first.email)
            #expect(
                try await store.customers.find(email: "  " + email.uppercased() + " ").map(\.externalID) == [
                    first.externalID
                ]
            )
            #expect(try await store.customers.find(email: "x" + email).isEmpty)
            // The index is not the email's plain hash: without the key it cannot be recomputed.
            let stored = try await database.withConnection { sql in
                try await sql.raw("SELECT email_index FROM customers WHERE external_id = \(bind: first.externalID)")
                    .first()?.decode(column: "email_index", as: String.self)
            }
            #expect(stored != nil && stored != Digest.sha256Hex(email.lowercased()))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func keyRotationReencryptsEverythingAndCanBeResumed(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let oldVault = try Vault.ephemeral()
            let store = try await demoStore(database, customers: 120, vault: oldVault)
            let before = try #require(try await store.customers.find(externalID: "AUR-000007"))
            let newRing = oldVault.ring.adding()
            let newVault = Vault(ring: newRing)
            let rotation = KeyRotation(database: database, vault: newVault, batchSize: 25)
            #expect(try await rotation.remaining() == 120)
            // Interrupted after 50 rows.
            #expect(try await rotation.run(limit: 50) == 50)
            #expect(try await rotation.remaining() == 70)
            // Mid-rotation, lookups by email still work for rows under either key.
            let midStore = Store(database: database, vault: newVault)
            #expect(try await midStore.customers.find(email: before.email ?? "").map(\.id) == [before.id])
            #expect(try await midStore.customers.find(externalID: "AUR-000100")?.name != nil)
            // Resumed.
            #expect(try await rotation.run() == 70)
            #expect(try await rotation.remaining() == 0)
            let keyIDs = try await database.withConnection { sql in
                Set(
                    try await sql.raw("SELECT DISTINCT key_id FROM customers").all().map {
                        try $0.decode(column: "key_id", as: String.self)
                    }
                )
            }
            #expect(keyIDs == [newRing.current.id])
            // With the old key retired, everything still opens and matches what was there before.
            let retired = Store(database: database, vault: Vault(ring: newRing.retiringOldKeys()))
            let after = try #require(try await retired.customers.find(externalID: "AUR-000007"))
            #expect(after == before)
            #expect(try await retired.customers.find(email: before.email ?? "").map(\.id) == [before.id])
            // And the old key alone can no longer open anything.
            await #expect(throws: (any Error).self) {
                _ = try await Store(database: database, vault: oldVault).customers.find(id: before.id)
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func exportHasEverythingAndEraseKeepsAnonymousCounts(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let store = try await demoStore(database, customers: 20)
            let customer = try #require(try await store.customers.find(externalID: "AUR-000003"))
            let holdings = try await store.dataMap.holdings(customerID: customer.id)
            #expect(!holdings.isEmpty)
            let rights = DataSubjectRights(store: store)
            let data = try #require(
                try await rights.export(
                    customerID: customer.id,
                    controller: "Aurora",
                    actor: "user:1",
                    ip: "127.0.0.1",
                    now: Date()
                )
            )
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            #expect(json?["email"] as? String == customer.email)
            #expect(json?["name"] as? String == customer.name)
            #expect((json?["holdings"] as? [Any])?.count == holdings.count)
            let countBefore = try await store.dataMap.holdingCount()

            #expect(try await rights.erase(customerID: customer.id, actor: "user:1", ip: "127.0.0.1", now: Date()))
            let erased = try #require(try await store.customers.find(id: customer.id))
            #expect(erased.name == nil && erased.email == nil && erased.phone == nil && erased.erasedAt != nil)
            #expect(erased.externalID != customer.externalID)
            #expect(erased.country == customer.country, "country stays for anonymous statistics")
            #expect(try await store.customers.find(externalID: customer.externalID) == nil)
            #expect(try await store.customers.find(email: customer.email ?? "").isEmpty)
            #expect(try await store.dataMap.holdingCount() == countBefore, "holdings stay as anonymous counts")
            #expect(
                try await rights.export(
                    customerID: customer.id,
                    controller: "Aurora",
                    actor: "user:1",
                    ip: "",
                    now: Date()
                ) == nil
            )
            #expect(try await rights.erase(customerID: customer.id, actor: "user:1", ip: "", now: Date()) == false)
            let actions = try await store.audit.entries(AuditFilter(actionPrefix: "customer")).map(\.action)
            #expect(actions.contains("customer.export") && actions.contains("customer.erase"))
            #expect(try await store.audit.verify().isIntact)
        }
    }
}
