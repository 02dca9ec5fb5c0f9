import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// The import writes a batch in the background while it reads the next, and takes a plain-INSERT path when the
/// table starts empty and an upsert path otherwise. Small batches here make every file span several of them.
@Suite("Data map import paths")
struct DataMapImportPathTests {
    static let header = "external_id,name,email,phone,language,country,region\n"

    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-import-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func customers(_ range: ClosedRange<Int>, email: (Int) -> String = { "c\($0)@example.com" }) -> String {
        Self.header + range.map { "C-\($0),Name \($0),\(email($0)),+358 40 100\($0),fi,FI,\n" }.joined()
    }

    func holdings(_ range: ClosedRange<Int>, until: String = "") -> String {
        "external_id,system,category,held_from,held_until\n"
            + range.map { "C-\($0),CRM,email,2024-01-0\(1 + $0 % 9),\(until)\n" }.joined()
    }

    func seeded(_ database: Database, batchSize: Int) async throws -> (Store, DataMapImporter) {
        let store = Store(database: database, vault: try Vault.ephemeral())
        try await store.dataMap.installCatalogue(now: Date())
        let importer = DataMapImporter(database: database, vault: store.vault, batchSize: batchSize)
        _ = try await importer.importFile(
            .systems,
            path: try write("name,kind,owner,location,encrypted_at_rest\nCRM,crm,Sales,EU,yes\n")
        )
        return (store, importer)
    }

    @Test(arguments: TestDatabases.engines)
    func freshThenUpsertAcrossManyBatches(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let (store, importer) = try await seeded(database, batchSize: 3)
            // Fresh path: the table is empty.
            #expect(
                try await importer.importFile(.customers, path: try write(customers(1...10))).counts
                    == UpsertCounts(inserted: 10)
            )
            #expect(
                try await importer.importFile(.holdings, path: try write(holdings(1...10))).counts
                    == UpsertCounts(inserted: 10)
            )
            // Upsert path: new, changed and unchanged rows mixed within batches.
            let mixed = try await importer.importFile(
                .customers,
                path: try write(customers(5...14) { $0 % 2 == 0 ? "new\($0)@example.com" : "c\($0)@example.com" })
            )
            #expect(mixed.counts == UpsertCounts(inserted: 4, updated: 3, unchanged: 3))
            let moreHoldings = try await importer.importFile(.holdings, path: try write(holdings(8...14)))
            #expect(moreHoldings.counts == UpsertCounts(inserted: 4, unchanged: 3))
            let ended = try await importer.importFile(.holdings, path: try write(holdings(1...2, until: "2025-01-31")))
            #expect(ended.counts == UpsertCounts(inserted: 2))

            #expect(try await store.customers.count() == 14)
            #expect(try await store.dataMap.holdingCount() == 14)
            let six = try #require(try await store.customers.find(externalID: "C-6"))
            #expect(six.email == "new6@example.com" && six.name == "Name 6")
            #expect(try await store.customers.find(email: "c6@example.com").isEmpty)
            #expect(try await store.customers.find(email: "NEW14@example.com").map(\.externalID) == ["C-14"])
            let one = try #require(try await store.customers.find(externalID: "C-1"))
            #expect(
                try await store.dataMap.holdings(customerID: one.id).map { $0.heldUntil.map(UTCDay.format) } == [
                    "2025-01-31"
                ]
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aBadRowAfterBatchesWereWrittenLeavesNothing(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let (store, importer) = try await seeded(database, batchSize: 2)
            let bad =
                customers(1...9) + "C-10,Name,not-an-email,,fi,FI,\n" + customers(11...12).dropFirst(Self.header.count)
            do {
                _ = try await importer.importFile(.customers, path: try write(bad))
                Issue.record("accepted a bad file")
            } catch let rejected as ImportRejected {
                #expect(rejected.problems.map(\.description) == ["line 11, column email: not a valid email address"])
            }
            #expect(try await store.customers.count() == 0)

            // The same on the upsert path, and for holdings whose customer is unknown.
            _ = try await importer.importFile(.customers, path: try write(customers(1...3)))
            _ = try await importer.importFile(.holdings, path: try write(holdings(1...1)))
            await #expect(throws: ImportRejected.self) {
                _ = try await importer.importFile(.customers, path: try write(bad))
            }
            #expect(try await store.customers.count() == 3)
            do {
                _ = try await importer.importFile(
                    .holdings,
                    path: try write(holdings(1...3) + "C-404,CRM,email,2024-01-01,\n")
                )
                Issue.record("accepted unknown customer")
            } catch let rejected as ImportRejected {
                #expect(
                    rejected.problems.map(\.description) == [
                        "line 5, column external_id: unknown customer \"C-404\" (import customers first)"
                    ]
                )
            }
            #expect(try await store.dataMap.holdingCount() == 1)
        }
    }

    /// Imports change SQLite connection settings (a big page cache, memory temp storage, and for holdings foreign-key
    /// checks off, as the importer resolves every reference itself); the connection is shared, so the settings
    /// must be back afterwards whatever became of the import.
    @Test func sqliteSettingsAreRestoredAfterEveryImport() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let (_, importer) = try await seeded(database, batchSize: 2)
            // Once a connection has used temporary storage, temp_store can no longer change inside a transaction.
            try await database.execute("CREATE TEMP TABLE scratch (a INTEGER)")
            try await database.execute("DROP TABLE scratch")
            _ = try await importer.importFile(.customers, path: try write(customers(1...3)))
            func setting(_ name: String) async throws -> Int? {
                try await database.withConnection {
                    try await $0.raw("PRAGMA \(unsafeRaw: name)").first()?.decode(column: name, as: Int.self)
                }
            }
            func expectChecksOn(_ after: String) async throws {
                #expect(try await setting("foreign_keys") == 1, "after \(after)")
                #expect(try await setting("cache_size") == -2000, "after \(after)")
                #expect(try await setting("temp_store") == 0, "after \(after)")
                // And they bite: a holding of a customer that does not exist is refused.
                await #expect(throws: (any Error).self, "after \(after)") {
                    try await database.withConnection {
                        try await $0.raw(
                            "INSERT INTO holdings (customer_id, system_id, category_id, held_from) VALUES (-1, 1, 'email', 0)"
                        ).run()
                    }
                }
            }
            #expect(
                try await importer.importFile(.holdings, path: try write(holdings(1...3))).counts
                    == UpsertCounts(inserted: 3)
            )
            try await expectChecksOn("an accepted import")
            await #expect(throws: ImportRejected.self) {
                _ = try await importer.importFile(
                    .holdings,
                    path: try write(holdings(1...3) + "C-404,CRM,email,2024-01-01,\n")
                )
            }
            try await expectChecksOn("a rejected import")
            // A cancelled import (a console upload whose visitor went away) is rolled back and restores them too.
            let customerFile = try write(customers(4...3000))
            _ = try await importer.importFile(.customers, path: customerFile)
            let holdingFile = try write(holdings(1...3000))
            let task = Task { try await importer.importFile(.holdings, path: holdingFile) }
            try await Task.sleep(for: .milliseconds(20))
            task.cancel()
            _ = try? await task.value
            try await expectChecksOn("a cancelled import")
            // The connection is usable: no transaction was left open.
            #expect(try await importer.importFile(.holdings, path: try write(holdings(1...3000))).rows == 3000)
        }
    }

    /// Re-importing a file compares content MACs with the stored ones, so the bytes under the MAC must never drift.
    @Test func contentMACIsOverTheCanonicalFieldBytes() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let vault = try Vault.ephemeral()
            let customers = CustomerRepository(database: database, vault: vault)
            let inputs = [
                CustomerInput(
                    externalID: "C-1",
                    name: "Äijä Öhman",
                    email: "a@example.fi",
                    phone: nil,
                    address: "Katu 1 | 2",
                    nationalID: nil,
                    language: "fi",
                    country: "FI",
                    region: ""
                ),
                CustomerInput(
                    externalID: "C-2",
                    name: nil,
                    email: nil,
                    phone: "+358 40 1",
                    address: nil,
                    nationalID: "131052-308T",
                    language: "sv",
                    country: "US",
                    region: "CA"
                ),
            ]
            for input in inputs {
                // The original definition, spelled out.
                let canonical = [
                    input.name, input.email, input.phone, input.address, input.nationalID, input.language,
                    input.country, input.region,
                ]
                .map { field in field.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
                #expect(
                    customers.contentMAC(input, keys: vault.keys)
                        == vault.index.index(canonical, purpose: "customer-content")
                )
            }
            // Sealing a batch computes the same MAC and email index as sealing one row.
            let batch = try customers.seal(inputs, keys: vault.keys)
            for (input, sealed) in zip(inputs, batch) {
                let single = try customers.seal(input, keys: vault.keys)
                #expect(
                    sealed.contentMAC == single.contentMAC && sealed.emailIndex == single.emailIndex
                        && sealed.externalID == input.externalID
                )
                #expect(
                    try vault.cipher.openOptional(sealed.address, context: "customers.address", row: input.externalID)
                        == input.address
                )
                #expect(
                    try vault.cipher.openOptional(
                        sealed.nationalID,
                        context: "customers.national_id",
                        row: input.externalID
                    )
                        == input.nationalID
                )
            }
        }
    }

    /// Unknown customers are found by the queued writes, after the rows read since: the report still lists
    /// problems by line, also when the file then turns out malformed, and nothing is written.
    @Test(arguments: TestDatabases.engines)
    func problemsFoundInTheQueueAreReportedInLineOrder(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let (store, importer) = try await seeded(database, batchSize: 2)
            _ = try await importer.importFile(.customers, path: try write(customers(1...20)))
            let rows = holdings(1...20).split(separator: "\n").map(String.init)
            var lines =
                Array(rows[0...2]) + ["C-404,CRM,email,2024-01-01,"] + Array(rows[3...12]) + [
                    "C-1,CRM,email,2024-13-01,"
                ] + Array(rows[13...])
            do {
                _ = try await importer.importFile(.holdings, path: try write(lines.joined(separator: "\n") + "\n"))
                Issue.record("accepted bad holdings")
            } catch let rejected as ImportRejected {
                #expect(
                    rejected.problems.map(\.description) == [
                        "line 4, column external_id: unknown customer \"C-404\" (import customers first)",
                        "line 15, column held_from: not a date in YYYY-MM-DD form",
                    ]
                )
            }
            lines.append("C-2,\"CRM,email,2024-01-01,")
            do {
                _ = try await importer.importFile(.holdings, path: try write(lines.joined(separator: "\n") + "\n"))
                Issue.record("accepted a malformed file")
            } catch let rejected as ImportRejected {
                #expect(rejected.problems.map(\.line) == [4, 15, 24], "\(rejected)")
            }
            #expect(try await store.dataMap.holdingCount() == 0)
        }
    }
}
