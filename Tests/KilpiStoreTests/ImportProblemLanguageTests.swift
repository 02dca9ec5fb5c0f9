import Foundation
import KilpiCore
import KilpiTestSupport
import Testing

@testable import KilpiStore

/// Every row problem of a data-map import is said in English, Finnish and Swedish: three different texts naming
/// the line and the column as the file's header writes it, carrying the row's values; the English is what
/// `kilpi import` prints.
@Suite struct ImportProblemLanguageTests {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-import-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func problems(
        _ importer: DataMapImporter,
        _ kind: DataMapImporter.Kind,
        _ csv: String
    ) async throws -> [ImportProblem] {
        do {
            _ = try await importer.importFile(kind, path: try write(csv))
            Issue.record("accepted a bad \(kind) file")
            return []
        } catch let rejected as ImportRejected {
            return rejected.problems
        }
    }

    /// Each problem's three renderings differ, each names its line and column and carries `values`.
    func expectTranslated(_ problem: ImportProblem, carrying values: [String] = []) {
        let texts = Language.allCases.map { problem.description(in: $0) }
        #expect(Set(texts).count == Language.allCases.count, "\(texts)")
        #expect(problem.description(in: .en) == problem.description)
        for text in texts {
            for value in ["\(problem.line)"] + (problem.column.map { [$0] } ?? []) + values {
                #expect(text.contains(value), "\(value) not in \(text)")
            }
        }
    }

    @Test(arguments: TestDatabases.engines)
    func everyRowProblemIsSaidInEachLanguage(_ engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            let store = Store(database: database, vault: try Vault.ephemeral())
            try await store.dataMap.installCatalogue(now: Date())
            let importer = DataMapImporter(database: database, vault: store.vault)
            let long = String(repeating: "x", count: 301)

            let systems = try await problems(
                importer,
                .systems,
                """
                name,kind,owner,location,encrypted_at_rest
                ,crm,IT,EU,yes
                Shop,crm,IT,EU,yes
                shop,crm,IT,EU,yes
                Mail,<b>telex</b>,IT,EU,yes
                Mail2,crm,IT,EU,maybe
                Mail3,crm,\(long),EU,yes
                Mail4,crm,IT

                """
            )
            #expect(systems.map(\.line) == [2, 4, 5, 6, 7, 8])
            #expect(systems.map(\.column) == ["name", "name", "kind", "encrypted_at_rest", "owner", nil])
            let systemValues: [[String]] = [
                ["200"], ["\"shop\"", "3"], ["\"<b>telex</b>\"", "crm"], [], ["200"], ["3", "5"],
            ]
            for (problem, values) in zip(systems, systemValues) { expectTranslated(problem, carrying: values) }
            #expect(
                systems[1].description(in: .sv)
                    == #"rad 4, kolumn name: systemet "shop" förekommer två gånger (även på rad 3)"#
            )
            #expect(systems[5].description(in: .fi) == "rivi 8: rivillä on 3 kenttää; otsikkorivillä on 5")

            _ = try await importer.importFile(
                .systems,
                path: try write("name,kind,owner,location,encrypted_at_rest\nCRM,crm,IT,EU,yes\n")
            )
            let customers = try await problems(
                importer,
                .customers,
                """
                external_id,name,email,phone,language,country,region,address,national_id
                ,A,,,fi,FI,,,
                erased-1,A,,,fi,FI,,,
                C-1,A,,,fi,FI,,,
                C-1,A,,,fi,FI,,,
                C-2,\(long),,,fi,FI,,,
                C-3,A,<script>@,,fi,FI,,,
                C-4,A,,call me,fi,FI,,,
                C-5,A,,,finnish,FI,,,
                C-6,A,,,en,UK,,,
                C-7,A,,,en,XX,,,
                C-8,A,,,en,US,,,
                C-9,A,,,fi,FI,\(long),,

                """
            )
            #expect(customers.map(\.line) == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13])
            #expect(
                customers.map(\.column) == [
                    "external_id", "external_id", "external_id", "name", "email", "phone", "language", "country",
                    "country", "region", "region",
                ]
            )
            let customerValues: [[String]] = [
                ["200"], ["\"erased-\""], ["4"], ["300"], [], ["5", "20"], ["fi, sv, en"], ["UK", "GB"],
                ["\"XX\"", "FI"],
                ["CA"], ["100"],
            ]
            for (problem, values) in zip(customers, customerValues) { expectTranslated(problem, carrying: values) }
            #expect(customers[4].description(in: .sv) == "rad 7, kolumn email: ingen giltig e-postadress")
            #expect(customers[4].description(in: .fi) == "rivi 7, sarake email: ei kelvollinen sähköpostiosoite")
            #expect(customers[4].description == "line 7, column email: not a valid email address")

            _ = try await importer.importFile(
                .customers,
                path: try write("external_id,name,email,phone,language,country,region\nC-1,A,,,fi,FI,\n")
            )
            let holdings = try await problems(
                importer,
                .holdings,
                """
                external_id,system,category,held_from,held_until
                ,CRM,email,2024-01-01,
                C-1,Nope,email,2024-01-01,
                C-1,CRM,shoe_size,2024-01-01,
                C-1,CRM,email,2024-13-01,
                C-1,CRM,email,2024-01-01,soon
                C-1,CRM,email,2024-02-01,2024-01-01
                C-1,CRM,name,2024-01-01,
                C-1,CRM,name,2024-01-01,
                C-404,CRM,email,2024-01-01,

                """
            )
            #expect(holdings.map(\.line) == [2, 3, 4, 5, 6, 7, 9, 10])
            #expect(
                holdings.map(\.column) == [
                    "external_id", "system", "category", "held_from", "held_until", "held_until", "external_id",
                    "external_id",
                ]
            )
            let holdingValues: [[String]] = [
                [], ["\"Nope\"", "kilpi import systems"], ["\"shoe_size\""], [], [], ["held_from"], ["8"],
                ["\"C-404\""],
            ]
            for (problem, values) in zip(holdings, holdingValues) { expectTranslated(problem, carrying: values) }
            #expect(
                holdings[7].description(in: .sv)
                    == #"rad 10, kolumn external_id: okänd kund "C-404" (importera kunderna först)"#
            )

            // A wrong header and malformed bytes: the reader's problem, with the column named from the header.
            let header = try await problems(importer, .customers, "external_id,shoe_size\n")
            #expect(header.count == 1)
            for problem in header { expectTranslated(problem, carrying: ["\"shoe_size\"", "email"]) }
            #expect(header.first?.description(in: .fi).hasPrefix(#"rivi 1: tuntematon sarake "shoe_size"; "#) == true)
            let quote = try await problems(
                importer,
                .customers,
                "external_id,name,email,phone,language,country,region\nC-2,\"A,,,fi,FI,\n"
            )
            #expect(quote.map(\.column) == ["name"])
            for problem in quote { expectTranslated(problem) }
            #expect(
                quote.first?.description(in: .sv)
                    == "rad 2, kolumn name: ett citerat fält saknar avslutande citattecken"
            )
            let empty = try await problems(importer, .customers, "")
            #expect(empty.map { $0.description(in: .sv) } == ["rad 1: filen är tom"])

            // Different problems stay different in every language.
            let all = systems + customers + holdings + header + quote + empty
            for language in Language.allCases {
                #expect(
                    Set(all.map { $0.reason(in: language) }).count == Set(all.map(\.reason)).count,
                    "\(language)"
                )
            }
            #expect(try await store.customers.count() == 1, "nothing of the refused files was written")
            #expect(try await store.dataMap.holdingCount() == 0)
        }
    }
}
