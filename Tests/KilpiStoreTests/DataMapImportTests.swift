import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

@Suite("Data map import")
struct DataMapImportTests {
    static let systemsCSV = """
        name,kind,owner,location,encrypted_at_rest
        Web Shop,web shop,E-commerce,"Helsinki, FI",no
        CRM,crm,Sales,EU,yes
        """

    static let customersCSV = """
        external_id,name,email,phone,language,country,region
        C-1,Äijä Öhman,aija.ohman@example.com,+358 40 1234567,fi,FI,
        C-2,"Göran ""Gurra"" Åberg",goran@example.se,+46 70 1234567,sv,se,
        C-3,Olivia Smith,olivia@example.com,+1 555 0100,en,US,ca
        """

    static let holdingsCSV = """
        held_until,external_id,system,category,held_from
        ,C-1,Web Shop,email,2024-01-01
        2024-06-30,C-1,web shop,payment_card,2024-01-01
        ,C-2,CRM,name,2023-05-05
        ,C-3,Web Shop,email,2025-02-28
        """

    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-import-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func seeded(_ database: Database) async throws -> (Store, DataMapImporter) {
        let store = Store(database: database, vault: try Vault.ephemeral())
        try await store.dataMap.installCatalogue(now: Date())
        return (store, DataMapImporter(database: database, vault: store.vault))
    }

    @Test(arguments: TestDatabases.engines)
    func roundTripAndReimportChangesNothing(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let (store, importer) = try await seeded(database)
            let systems = try await importer.importFile(.systems, path: try write(Self.systemsCSV))
            #expect(systems.counts == UpsertCounts(inserted: 2))
            let customers = try await importer.importFile(.customers, path: try write(Self.customersCSV))
            #expect(customers.rows == 3 && customers.counts.inserted == 3)
            let holdings = try await importer.importFile(.holdings, path: try write(Self.holdingsCSV))
            #expect(holdings.rows == 4 && holdings.counts.inserted == 4)

            let aija = try #require(try await store.customers.find(externalID: "C-1"))
            #expect(aija.name == "Äijä Öhman" && aija.email == "aija.ohman@example.com" && aija.country == "FI")
            let goran = try #require(try await store.customers.find(externalID: "C-2"))
            #expect(goran.name == "Göran \"Gurra\" Åberg" && goran.country == "SE" && goran.language == "sv")
            #expect(try await store.customers.find(externalID: "C-3")?.region == "CA")

            let map = try await store.dataMap.holdings(customerID: aija.id)
            #expect(map.count == 2)
            #expect(
                map.contains {
                    $0.systemName == "Web Shop" && $0.categoryID == "payment_card"
                        && $0.heldUntil.map(UTCDay.format) == "2024-06-30"
                }
            )

            // Same files again: nothing changes.
            #expect(
                try await importer.importFile(.systems, path: try write(Self.systemsCSV)).counts
                    == UpsertCounts(unchanged: 2)
            )
            #expect(
                try await importer.importFile(.customers, path: try write(Self.customersCSV)).counts
                    == UpsertCounts(unchanged: 3)
            )
            #expect(
                try await importer.importFile(.holdings, path: try write(Self.holdingsCSV)).counts
                    == UpsertCounts(unchanged: 4)
            )

            // A changed row is an update, not a duplicate.
            let changed = Self.customersCSV.replacingOccurrences(
                of: "olivia@example.com",
                with: "olivia.smith@example.com"
            )
            #expect(
                try await importer.importFile(.customers, path: try write(changed)).counts
                    == UpsertCounts(updated: 1, unchanged: 2)
            )
            #expect(try await store.customers.count() == 3)
            #expect(try await store.customers.find(email: "OLIVIA.SMITH@example.com").map(\.externalID) == ["C-3"])
            #expect(try await store.customers.find(email: "olivia@example.com").isEmpty)
        }
    }

    /// Each bad file: the expected problem text, and nothing written.
    static let badCustomerFiles: [(name: String, csv: String, expected: String)] = [
        (
            "missing column", "external_id,name,email,phone,language,country\nC-1,A,a@example.com,,fi,FI\n",
            "line 1: missing required column"
        ),
        ("unknown column", "external_id,name,email,phone,language,country,region,shoe_size\n", "unknown column"),
        (
            "bad email", "external_id,name,email,phone,language,country,region\nC-1,A,not-an-email,,fi,FI,\n",
            "line 2, column email: not a valid email address"
        ),
        (
            "unknown country", "external_id,name,email,phone,language,country,region\nC-1,A,a@example.com,,fi,XX,\n",
            "line 2, column country: unknown country code"
        ),
        (
            "UK is not ISO", "external_id,name,email,phone,language,country,region\nC-1,A,a@example.com,,en,UK,\n",
            "the ISO code is GB"
        ),
        (
            "US without state", "external_id,name,email,phone,language,country,region\nC-1,A,a@example.com,,en,US,\n",
            "line 2, column region"
        ),
        (
            "duplicate id",
            "external_id,name,email,phone,language,country,region\nC-1,A,a@example.com,,fi,FI,\nC-2,B,b@example.com,,fi,FI,\nC-1,C,c@example.com,,fi,FI,\n",
            "line 4, column external_id: duplicate external_id (also on line 2)"
        ),
        (
            "short row", "external_id,name,email,phone,language,country,region\nC-1,A,a@example.com\n",
            "line 2: has 3 fields"
        ),
        ("empty file", "", "the file is empty"),
        (
            "unterminated quote",
            "external_id,name,email,phone,language,country,region\nC-1,\"A,a@example.com,,fi,FI,\n",
            "unterminated quoted field"
        ),
    ]

    @Test(arguments: badCustomerFiles.indices)
    func badCustomerFilesAreRejectedWholeWithTheirLine(_ index: Int) async throws {
        let bad = Self.badCustomerFiles[index]
        try await TestDatabases.with(.sqlite) { database in
            let (store, importer) = try await seeded(database)
            // A valid first row: it must not be written either.
            let csv = bad.csv
            await #expect(throws: ImportRejected.self, "\(bad.name)") {
                _ = try await importer.importFile(.customers, path: try write(csv))
            }
            do {
                _ = try await importer.importFile(.customers, path: try write(csv))
            } catch let rejected as ImportRejected {
                #expect(rejected.description.contains(bad.expected), "\(bad.name): \(rejected.description)")
            }
            #expect(try await store.customers.count() == 0, "\(bad.name): nothing written")
        }
    }

    @Test func binaryInvalidUTF8AndHugeLinesAreRejected() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let (store, importer) = try await seeded(database)
            let header = Data("external_id,name,email,phone,language,country,region\n".utf8)
            var invalid = header + Data("C-1,".utf8)
            invalid.append(contentsOf: [0xC3, 0x28])
            invalid.append(Data(",a@example.com,,fi,FI,\n".utf8))
            let binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0x02, 0x00, 0xFF])
            var huge = header
            huge.append(Data(repeating: UInt8(ascii: "x"), count: 3 << 20))
            for (data, expected) in [
                (invalid, "line 2, column name: invalid UTF-8"), (binary, "NUL"),
                (huge, "line 2: record longer than 1 MiB"),
            ] {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "kilpi-bad-\(UUID().uuidString).csv"
                )
                try data.write(to: url)
                do {
                    _ = try await importer.importFile(.customers, path: url.path)
                    Issue.record("accepted a bad file: \(expected)")
                } catch let rejected as ImportRejected {
                    #expect(rejected.description.contains(expected), "\(rejected.description)")
                }
            }
            #expect(try await store.customers.count() == 0)
        }
    }

    @Test func badHoldingsNameTheirLineAndColumn() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let (store, importer) = try await seeded(database)
            _ = try await importer.importFile(.systems, path: try write(Self.systemsCSV))
            _ = try await importer.importFile(.customers, path: try write(Self.customersCSV))
            let csv = """
                external_id,system,category,held_from,held_until
                C-1,Web Shop,email,2024-01-01,
                C-404,Web Shop,email,2024-01-01,
                C-1,Mainframe,email,2024-01-01,
                C-1,CRM,shoe_size,2024-01-01,
                C-1,CRM,email,2024-02-30,
                C-1,CRM,name,2024-03-01,2024-02-01
                """
            do {
                _ = try await importer.importFile(.holdings, path: try write(csv))
                Issue.record("accepted bad holdings")
            } catch let rejected as ImportRejected {
                let text = rejected.description
                #expect(text.contains("line 3, column external_id: unknown customer \"C-404\""))
                #expect(text.contains("line 4, column system: unknown system \"Mainframe\""))
                #expect(text.contains("line 5, column category: unknown category \"shoe_size\""))
                #expect(text.contains("line 6, column held_from: not a date"))
                #expect(text.contains("line 7, column held_until: ends before held_from"))
            }
            #expect(try await store.dataMap.holdingCount() == 0, "the valid first row was not written either")
        }
    }

    @Test func atMostAHundredProblemsAreReported() async throws {
        try await TestDatabases.with(.sqlite) { database in
            let (_, importer) = try await seeded(database)
            var csv = "external_id,name,email,phone,language,country,region\n"
            for index in 0..<250 { csv += "C-\(index),A,bad,,fi,FI,\n" }
            do {
                _ = try await importer.importFile(.customers, path: try write(csv))
                Issue.record("accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.problems.count == 100)
                #expect(rejected.truncated)
                #expect(rejected.problems.first?.line == 2)
            }
        }
    }
}
