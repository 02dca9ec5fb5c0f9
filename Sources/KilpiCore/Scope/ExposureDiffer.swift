/// What changed between two exposure snapshots, found in one merged pass over both.
///
/// Rows must arrive ordered by customer, then category (byte order), each marked with the snapshot it comes from (both
/// snapshots are stored in that key order, so the database merges them without sorting). Customers whose
/// categories both grew and shrank count as widened: more exposure is what matters to them.
public struct ExposureDiffer: Sendable {
    private var diff = ExposureDiff()
    private var categoriesBefore: Set<String> = []
    private var categoriesAfter: Set<String> = []
    private var current: Int64?
    private var before: [String] = []
    private var after: [String] = []
    private var addedCustomers: [Int64] = []

    public init() {}

    /// One row: `inNew` is false for the previous snapshot, true for the new one.
    public mutating func add(customer: Int64, category: String, inNew: Bool) {
        if customer != current {
            closeCustomer()
            current = customer
        }
        if inNew { after.append(category) } else { before.append(category) }
    }

    private mutating func closeCustomer() {
        guard let current else { return }
        defer {
            before.removeAll(keepingCapacity: true)
            after.removeAll(keepingCapacity: true)
        }
        categoriesBefore.formUnion(before)
        categoriesAfter.formUnion(after)
        if before.isEmpty {
            diff.added += 1
            addedCustomers.append(current)
        } else if after.isEmpty {
            diff.removed += 1
        } else if !Self.sortedContains(before, all: after) {
            diff.widened += 1
        } else if before.count != after.count {
            diff.narrowed += 1
        }
    }

    /// Whether every element of sorted `subset` is in sorted `set` (both without duplicates).
    private static func sortedContains(_ set: [String], all subset: [String]) -> Bool {
        guard subset.count <= set.count else { return false }
        var i = set.startIndex
        for element in subset {
            while i < set.endIndex && set[i].utf8.lexicographicallyPrecedes(element.utf8) { i += 1 }
            guard i < set.endIndex && set[i] == element else { return false }
            i += 1
        }
        return true
    }

    /// The counts and new categories (`addedSample` is left to the caller, which can look up external ids), and
    /// the internal ids of the added customers in id order.
    public func result() -> (diff: ExposureDiff, addedCustomers: [Int64]) {
        var copy = self
        copy.closeCustomer()
        var diff = copy.diff
        diff.newCategories = copy.categoriesAfter.subtracting(copy.categoriesBefore).sorted()
        return (diff, copy.addedCustomers)
    }
}
