/// The counts of an exposure snapshot, tallied in one pass over its (customer, category) pairs.
///
/// Pairs must arrive grouped by customer (the snapshot's key order), so each customer is counted once, under
/// the most sensitive category exposed for them and where they live, without remembering every customer seen.
/// One pass in Swift costs a fraction of the three GROUP BYs (each a sort) SQLite would otherwise run.
public struct ExposureTally: Sendable {
    private let sensitivity: [String: Sensitivity]
    private var categoryCounts: [String: Int] = [:]
    private var sensitivityCounts: [Sensitivity: Int] = [:]
    private var placeCounts: [Place: Int] = [:]
    private var customers = 0
    private var pairs = 0
    private var current: Int64?
    private var currentHighest: Sensitivity = .low

    /// `sensitivity`: each category's level; a category missing from it counts as the most sensitive.
    public init(sensitivity: [String: Sensitivity]) {
        self.sensitivity = sensitivity
    }

    /// `country` and `region` are where the customer lives; only their first pair's are read.
    public mutating func add(customer: Int64, category: String, country: String, region: String) {
        let level = sensitivity[category] ?? .special
        if customer != current {
            closeCustomer()
            current = customer
            currentHighest = level
            customers += 1
            placeCounts[Place(country: country, region: region), default: 0] += 1
        } else if level > currentHighest {
            currentHighest = level
        }
        categoryCounts[category, default: 0] += 1
        pairs += 1
    }

    private mutating func closeCustomer() {
        if current != nil { sensitivityCounts[currentHighest, default: 0] += 1 }
    }

    public func summary() -> ExposureSummary {
        var copy = self
        copy.closeCustomer()
        var byPlace: [String: Int] = [:]
        for (place, count) in placeCounts { byPlace[place.code, default: 0] += count }
        return ExposureSummary(
            customers: customers, pairs: pairs, byCategory: categoryCounts, byPlace: byPlace,
            bySensitivity: Dictionary(uniqueKeysWithValues: copy.sensitivityCounts.map { ($0.key.rawValue, $0.value) }))
    }

    /// Counted as two strings, spelt as one code only at the end.
    private struct Place: Hashable {
        let country, region: String
        var code: String { ExposureSummary.placeCode(country: country, region: region) }
    }
}
