import KilpiCore
import Testing

/// The one-pass counts of an exposure snapshot and the merged diff of two, against hand-worked examples.
@Suite struct ExposureTallyTests {
    static let levels: [String: Sensitivity] = ["name": .low, "email": .medium, "payment_card": .high, "health": .special]

    @Test func countsEachCustomerOnceUnderTheirMostSensitiveCategoryAndPlace() {
        var tally = ExposureTally(sensitivity: Self.levels)
        // Customer 1 (FI): name, payment_card → high. Customer 2 (US-CA): email → medium.
        // Customer 3 (FI): health then name (a lower level after a higher one must not lower it) → special.
        // Customer 4 (FI): an unknown category counts as the most sensitive.
        for (customer, category, country, region) in [
            (1, "name", "FI", ""), (1, "payment_card", "FI", ""),
            (2, "email", "US", "CA"),
            (3, "health", "FI", ""), (3, "name", "FI", ""),
            (4, "biometric", "FI", ""),
        ] as [(Int64, String, String, String)] {
            tally.add(customer: customer, category: category, country: country, region: region)
        }
        let summary = tally.summary()
        #expect(summary.customers == 4)
        #expect(summary.pairs == 6)
        #expect(summary.byCategory == ["name": 2, "payment_card": 1, "email": 1, "health": 1, "biometric": 1])
        #expect(summary.bySensitivity == ["high": 1, "medium": 1, "special": 2])
        #expect(summary.byPlace == ["FI": 3, "US-CA": 1])
        // Reading the summary does not close the last customer for good: more rows may follow.
        tally.add(customer: 5, category: "name", country: "SE", region: "")
        #expect(tally.summary().bySensitivity == ["high": 1, "medium": 1, "special": 2, "low": 1])
    }

    @Test func anEmptySnapshotCountsNothing() {
        #expect(ExposureTally(sensitivity: Self.levels).summary() == ExposureSummary())
    }

    @Test func diffFindsAddedRemovedWidenedAndNarrowedCustomers() {
        var differ = ExposureDiffer()
        // (customer, category, in the new version), in key order: customer, then category.
        let rows: [(Int64, String, Bool)] = [
            (1, "email", false), (1, "email", true),                          // unchanged
            (2, "email", true),                                               // added
            (3, "name", false),                                               // removed
            (4, "email", false), (4, "email", true), (4, "payment_card", true), // widened
            (5, "email", false), (5, "name", false), (5, "name", true),       // narrowed
            (6, "email", false), (6, "health", true),                         // both: counts as widened
            (7, "email", true), (7, "name", true),                            // added
        ]
        for (customer, category, inNew) in rows { differ.add(customer: customer, category: category, inNew: inNew) }
        let (diff, added) = differ.result()
        #expect(diff.added == 2)
        #expect(diff.removed == 1)
        #expect(diff.widened == 2)
        #expect(diff.narrowed == 1)
        #expect(diff.newCategories == ["health", "payment_card"])
        #expect(added == [2, 7])
        #expect(diff.addedSample.isEmpty)
    }
}
