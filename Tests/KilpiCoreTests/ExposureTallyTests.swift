import KilpiCore
import Testing

/// The counts of an exposure snapshot and the diff of two, against hand-worked examples.
@Suite struct ExposureTallyTests {
    static let levels: [String: Sensitivity] = [
        "name": .low, "email": .medium, "payment_card": .high, "health": .special,
    ]

    static func snapshot(_ pairs: [(Int64, String)]) throws -> ExposureSnapshot {
        var builder = ExposureSnapshot.Builder()
        for (customer, category) in pairs { try builder.add(customer: customer, category: category) }
        return builder.build()
    }

    @Test func countsEachCustomerOnceUnderTheirMostSensitiveCategoryAndPlace() throws {
        // Customer 1 (FI): name, payment_card → high. Customer 2 (US-CA): email → medium.
        // Customer 3 (FI): health and name (a lower level must not lower it) → special.
        // Customer 4 (FI): an unknown category counts as the most sensitive.
        let snapshot = try Self.snapshot([
            (1, "name"), (1, "payment_card"), (2, "email"), (3, "health"), (3, "name"), (4, "biometric"),
        ])
        var tally = ExposureTally(sensitivity: Self.levels)
        for (country, region) in [("FI", ""), ("US", "CA"), ("FI", ""), ("FI", "")] {
            tally.addPlace(country: country, region: region)
        }
        let summary = tally.summary(of: snapshot)
        #expect(summary.customers == 4)
        #expect(summary.pairs == 6)
        #expect(summary.byCategory == ["name": 2, "payment_card": 1, "email": 1, "health": 1, "biometric": 1])
        #expect(summary.bySensitivity == ["high": 1, "medium": 1, "special": 2])
        #expect(summary.byPlace == ["FI": 3, "US-CA": 1])
    }

    @Test func anEmptySnapshotCountsNothing() {
        #expect(ExposureTally(sensitivity: Self.levels).summary(of: .empty) == ExposureSummary())
    }

    @Test func diffFindsAddedRemovedWidenedAndNarrowedCustomers() throws {
        let old = try Self.snapshot([
            (1, "email"),  // unchanged
            (3, "name"),  // removed
            (4, "email"),  // widened
            (5, "email"), (5, "name"),  // narrowed
            (6, "email"),  // both: counts as widened
            (8, "payment_card"),  // unchanged
            (9, "phone"), (9, "name"),  // narrowed: phone is exposed for nobody now
        ])
        let new = try Self.snapshot([
            (1, "email"),
            (2, "email"),  // added
            (4, "email"), (4, "payment_card"),
            (5, "name"),
            (6, "health"),
            (7, "email"), (7, "name"),  // added
            (8, "payment_card"),
            (9, "name"),
        ])
        let (diff, added) = ExposureDiffer.diff(from: old, to: new)
        #expect(diff.added == 2)
        #expect(diff.removed == 1)
        #expect(diff.widened == 2)
        #expect(diff.narrowed == 2)
        #expect(diff.newCategories == ["health"])
        #expect(added == [2, 7])
        #expect(diff.addedSample.isEmpty)
        // Nothing from nothing; everything added from nothing.
        #expect(ExposureDiffer.diff(from: .empty, to: .empty).diff == ExposureDiff())
        let fromNothing = ExposureDiffer.diff(from: .empty, to: new)
        #expect(fromNothing.diff.added == new.count && fromNothing.addedCustomers == new.customers)
        #expect(fromNothing.diff.newCategories == new.categories.sorted())
    }
}
