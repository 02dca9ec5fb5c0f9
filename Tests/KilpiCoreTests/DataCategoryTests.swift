import Foundation
import KilpiCore
import Testing

@Suite("Data categories")
struct DataCategoryTests {
    static let requiredIDs = [
        "name", "email", "phone", "postal_address", "date_of_birth", "national_id", "payment_card", "bank_account",
        "credentials", "order_history", "location", "health", "ip_address",
    ]

    @Test func shipsTheRequiredCategories() {
        let ids = Set(DataCategory.catalogue.map(\.id))
        for id in Self.requiredIDs {
            #expect(ids.contains(id), "\(id)")
        }
    }

    @Test func idsAreUniqueSnakeCase() {
        let ids = DataCategory.catalogue.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(
                !id.isEmpty && id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" },
                "\(id)"
            )
        }
    }

    @Test(arguments: DataCategory.catalogue.map(\.id))
    func hasNamesAndAdviceInBothLanguages(id: String) throws {
        let category = try #require(DataCategory.catalogue.first { $0.id == id })
        for text in [category.nameEN, category.nameFI, category.adviceEN, category.adviceFI] {
            #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            #expect(!text.contains("  "), "double space in \(id)")
            #expect(!text.contains("\n"), "line break in \(id)")
        }
        for advice in [category.adviceEN, category.adviceFI] {
            let sentences = advice.split(whereSeparator: { ".!?".contains($0) }).filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
            }
            #expect((1...3).contains(sentences.count), "\(id): \(sentences.count) sentences")
            #expect(advice.hasSuffix("."))
        }
    }

    @Test func ranksSensitivity() {
        #expect(Sensitivity.low < .medium && Sensitivity.medium < .high && Sensitivity.high < .special)
        let byID = Dictionary(uniqueKeysWithValues: DataCategory.catalogue.map { ($0.id, $0.sensitivity) })
        #expect(byID["national_id"] == .special)
        #expect(byID["health"] == .special)
        #expect(byID["payment_card"] == .high)
        #expect(byID["credentials"] == .high)
        #expect(byID["ip_address"] == .low)
    }

    @Test func codesAsJSON() throws {
        let data = try JSONEncoder().encode(DataCategory.catalogue)
        #expect(try JSONDecoder().decode([DataCategory].self, from: data) == DataCategory.catalogue)
        #expect(String(decoding: try JSONEncoder().encode(Sensitivity.special), as: UTF8.self) == "\"special\"")
    }
}
