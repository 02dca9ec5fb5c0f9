/// The counts of an exposure snapshot: customers and pairs, customers per category, per highest sensitivity and
/// per place.
///
/// Category and sensitivity counts come straight from the snapshot's bit sets; where each customer lives is
/// looked up by the store (one narrow index read in id order) and added once per customer with `addPlace`.
public struct ExposureTally: Sendable {
    private let sensitivity: [String: Sensitivity]
    private var placeCounts: [Place: Int] = [:]

    /// `sensitivity`: each category's level; a category missing from it counts as the most sensitive.
    public init(sensitivity: [String: Sensitivity]) {
        self.sensitivity = sensitivity
    }

    /// Where `customers` exposed customers live (once for each customer of the snapshot in all).
    public mutating func addPlace(country: String, region: String, customers: Int = 1) {
        placeCounts[Place(country: country, region: region), default: 0] += customers
    }

    public func summary(of snapshot: ExposureSnapshot) -> ExposureSummary {
        let levels = snapshot.categories.map { sensitivity[$0] ?? .special }
        var perCategory = [Int](repeating: 0, count: levels.count)
        var perLevel: [Sensitivity: Int] = [:]
        for index in snapshot.customers.indices {
            var highest: Sensitivity?
            snapshot.forEachCategory(at: index) { j in
                perCategory[j] += 1
                if highest.map({ levels[j] > $0 }) ?? true { highest = levels[j] }
            }
            if let highest { perLevel[highest, default: 0] += 1 }
        }
        let pairs = perCategory.reduce(0, +)
        var byPlace: [String: Int] = [:]
        for (place, count) in placeCounts { byPlace[place.code, default: 0] += count }
        return ExposureSummary(
            customers: snapshot.count,
            pairs: pairs,
            byCategory: Dictionary(uniqueKeysWithValues: zip(snapshot.categories, perCategory).filter { $0.1 > 0 }),
            byPlace: byPlace,
            bySensitivity: Dictionary(uniqueKeysWithValues: perLevel.map { ($0.key.rawValue, $0.value) })
        )
    }

    /// Counted as two strings, spelt as one code only at the end.
    private struct Place: Hashable {
        let country, region: String
        var code: String { ExposureSummary.placeCode(country: country, region: region) }
    }
}
