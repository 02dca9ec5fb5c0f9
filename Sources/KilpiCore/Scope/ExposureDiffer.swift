/// What changed between two exposure snapshots, found in one merged pass over both (each is sorted by customer).
///
/// Customers whose categories both grew and shrank count as widened: more exposure is what matters to them.
public enum ExposureDiffer {
    /// The counts and new categories (`addedSample` is left to the caller, which can look up external ids), and
    /// the internal ids of the added customers in id order.
    public static func diff(
        from old: ExposureSnapshot,
        to new: ExposureSnapshot
    ) -> (diff: ExposureDiff, addedCustomers: [Int64]) {
        var diff = ExposureDiff()
        var added: [Int64] = []
        // Both category lists are in byte order, so old indices map to ascending new ones (-1: exposed for nobody now).
        let newIndex = Dictionary(uniqueKeysWithValues: new.categories.enumerated().map { ($0.element, $0.offset) })
        let mapped = old.categories.map { newIndex[$0] ?? -1 }
        var before: [Int] = []
        var after: [Int] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && old.customers[i] < new.customers[j]) {
                diff.removed += 1
                i += 1
            } else if i == old.count || new.customers[j] < old.customers[i] {
                diff.added += 1
                added.append(new.customers[j])
                j += 1
            } else {
                before.removeAll(keepingCapacity: true)
                after.removeAll(keepingCapacity: true)
                var gone = false
                old.forEachCategory(at: i) { j in
                    if mapped[j] < 0 { gone = true } else { before.append(mapped[j]) }
                }
                new.forEachCategory(at: j) { after.append($0) }
                let (gained, lost) = compare(before, after)
                if gained { diff.widened += 1 } else if lost || gone { diff.narrowed += 1 }
                i += 1
                j += 1
            }
        }
        diff.newCategories = Set(new.categories).subtracting(old.categories).sorted()
        return (diff, added)
    }

    /// Whether ascending `after` has an element ascending `before` lacks, and the other way round.
    private static func compare(_ before: [Int], _ after: [Int]) -> (gained: Bool, lost: Bool) {
        var gained = false
        var lost = false
        var a = 0
        var b = 0
        while a < before.count || b < after.count {
            if b == after.count || (a < before.count && before[a] < after[b]) {
                lost = true
                a += 1
            } else if a == before.count || after[b] < before[a] {
                gained = true
                b += 1
            } else {
                a += 1
                b += 1
            }
        }
        return (gained, lost)
    }
}
